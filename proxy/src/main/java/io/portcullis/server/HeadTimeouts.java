package io.portcullis.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the time limits between requests, on the raw bytes before they are decoded: a whole
 * request head must arrive within {@code headTimeout} of its first byte (408), and an idle keep-alive
 * connection is closed after {@code idleTimeout}. A fresh connection gets the head timeout from accept, so
 * a client that connects and sends nothing is not kept for the long idle time.
 *
 * <p>Rather than scheduling and cancelling a timer per request, one timer ticks at most every
 * min(headTimeout, idleTimeout) and compares timestamps; a limit is enforced at most one tick late.
 *
 * <p>While a head is awaited the raw bytes are also scanned up to the blank line that ends the head, to
 * refuse obsolete line folding (a header line starting with a space or tab), which the decoder would
 * otherwise unfold silently: two parsers reading one head differently is how requests get smuggled.
 *
 * <p>Driven by {@link StrictRequestDecoder} (which sees the raw bytes first) rather than being a pipeline
 * stage of its own: one handler fewer for every read of every connection.
 */
public final class HeadTimeouts {
    /** Fired down the pipeline when a limit is reached. */
    public enum Event { IDLE_TIMEOUT, HEAD_TIMEOUT, OBS_FOLD }

    private final long headNanos;
    private final long idleNanos;
    private final long tickNanos;
    private final HeadScanner scanner = new HeadScanner();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean awaiting;
    private boolean bytesSeen;
    private long awaitingSince;
    private long firstByteAt;
    private boolean firstRequest = true;

    public HeadTimeouts(long headNanos, long idleNanos) {
        this.headNanos = headNanos;
        this.idleNanos = idleNanos;
        this.tickNanos = Math.min(headNanos, idleNanos);
    }

    /** Starts the timer when the connection becomes active; events go down the pipeline from {@code ctx}. */
    void start(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        timer = ctx.executor().schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The frontend waits for the next request. */
    public void awaitRequest() {
        awaiting = true;
        bytesSeen = false;
        awaitingSince = System.nanoTime();
        scanner.reset();
    }

    /** A whole request head was decoded. */
    public void headReceived() {
        awaiting = false;
        firstRequest = false;
    }

    /**
     * Looks at raw bytes before they are decoded; false when they must not reach the decoder (a folded
     * head: the event {@link Event#OBS_FOLD} was fired and the caller drops the bytes).
     */
    boolean onRead(ByteBuf buf) {
        if (!awaiting) {
            return true;
        }
        if (!bytesSeen && buf.isReadable()) {
            bytesSeen = true;
            firstByteAt = System.nanoTime();
        }
        if (!scanner.done() && !scanner.scan(buf)) {
            awaiting = false;
            ctx.fireUserEventTriggered(Event.OBS_FOLD);
            return false;
        }
        return true;
    }

    private void tick() {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        long next = tickNanos;
        if (awaiting) {
            long idleLimit = firstRequest ? headNanos : idleNanos;
            if (bytesSeen) {
                long left = firstByteAt + headNanos - now;
                if (left <= 0) {
                    ctx.fireUserEventTriggered(Event.HEAD_TIMEOUT);
                    return;
                }
                next = Math.min(next, left);
            } else {
                long left = awaitingSince + idleLimit - now;
                if (left <= 0) {
                    ctx.fireUserEventTriggered(Event.IDLE_TIMEOUT);
                    return;
                }
                next = Math.min(next, left);
            }
        }
        timer = ctx.executor().schedule(this::tick, Math.max(next, 1_000_000L), TimeUnit.NANOSECONDS);
    }

}
