package io.portcullis.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the time limits between requests, in front of the decoder where raw bytes are visible: a whole
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
 */
public final class HeadTimeoutHandler extends ChannelInboundHandlerAdapter {
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

    public HeadTimeoutHandler(long headNanos, long idleNanos) {
        this.headNanos = headNanos;
        this.idleNanos = idleNanos;
        this.tickNanos = Math.min(headNanos, idleNanos);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timer = ctx.executor().schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaiting && msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            if (!bytesSeen && buf.isReadable()) {
                bytesSeen = true;
                firstByteAt = System.nanoTime();
            }
            if (!scanner.done() && !scanner.scan(buf)) {
                buf.release();
                awaiting = false;
                ctx.fireUserEventTriggered(Event.OBS_FOLD);
                return;
            }
        }
        ctx.fireChannelRead(msg);
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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
        }
        super.channelInactive(ctx);
    }
}
