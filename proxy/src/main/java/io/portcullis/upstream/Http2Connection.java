package io.portcullis.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One multiplexed HTTP/2 connection to a backend, owned by one event loop (like the HTTP/1.1 pool): every
 * request of that loop to the backend is a stream on it. Streams are opened once the backend's first SETTINGS
 * arrived and only while fewer than its {@code MAX_CONCURRENT_STREAMS} are open; requests beyond wait here, in
 * order, for a stream to close. After a GOAWAY (or a close) the connection takes no new streams: the ones in
 * progress finish, and new and waiting requests go to a new connection. It closes after idling
 * {@code poolIdleTimeout} without streams.
 *
 * <p>Last handler of the connection's pipeline (after the frame codec and the stream multiplexer). Confined to
 * the event loop: no field needs synchronisation.
 */
final class Http2Connection extends ChannelInboundHandlerAdapter {
    /** Connection-level receive window, so that many streams can each use their own window at once. */
    static final int CONNECTION_WINDOW = 16 * 1024 * 1024;

    private final Backend backend;
    private final Http2Connections owner;
    private final long idleTimeoutNanos;
    private final ArrayDeque<Http2StreamRequester> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Http2FrameCodec codec;
    private boolean ready;
    private boolean closed;
    private int openStreams;
    private long idleSince;
    private Throwable failure;
    private ScheduledFuture<?> idleCheck;

    Http2Connection(Backend backend, Http2Connections owner, long idleTimeoutNanos) {
        this.backend = backend;
        this.owner = owner;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    Backend backend() {
        return backend;
    }

    /** Whether new streams may still be opened here (no GOAWAY received, not closed). */
    boolean acceptsStreams() {
        return !closed;
    }

    /** Opens a stream for {@code requester} now, or when the connection is ready and a stream slot is free. */
    void open(Http2StreamRequester requester) {
        if (ready && waiting.isEmpty() && openStreams < maxStreams()) {
            openNow(requester);
        } else {
            waiting.add(requester);
        }
    }

    private int maxStreams() {
        return codec.connection().local().maxActiveStreams();
    }

    private void openNow(Http2StreamRequester requester) {
        openStreams++;
        UpstreamHandler handler = new UpstreamHandler(backend, this);
        new Http2StreamChannelBootstrap(ctx.channel())
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        // Header validation as for HTTP/1.1 backends: HPACK already delimits names and values.
                        ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(false, false));
                        ch.pipeline().addLast("upstream", handler);
                    }
                })
                .open()
                .addListener((Future<Http2StreamChannel> f) -> {
                    if (!f.isSuccess()) {
                        streamClosed(); // never registered, so no channelInactive will say it
                        requester.onStreamFailed(f.cause(), false);
                    } else if (requester.isDone()) {
                        f.getNow().close();
                    } else {
                        requester.onStream(handler);
                    }
                });
    }

    /** A stream's channel closed: its slot goes to the next waiting request. */
    void streamClosed() {
        openStreams--;
        serveWaiting();
        if (openStreams == 0) {
            idleSince = System.nanoTime();
            if (closed && ctx.channel().isActive()) {
                ctx.close(); // after a GOAWAY: the last stream in progress is done
            }
        }
    }

    private void serveWaiting() {
        Http2StreamRequester next;
        while (ready && !closed && openStreams < maxStreams() && (next = waiting.poll()) != null) {
            if (!next.isDone()) {
                openNow(next);
            }
        }
    }

    // ------------------------------------------------------------------ connection events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.codec = ctx.pipeline().get(Http2FrameCodec.class);
    }

    /** The TCP connect failed: every waiting request is told so (they may retry elsewhere). */
    void connectFailed(Throwable cause) {
        closed = true;
        owner.remove(this);
        failWaiting(cause, true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame) {
                if (!ready) {
                    ready = true;
                    idleSince = System.nanoTime();
                    ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - 65_535));
                    scheduleIdleCheck();
                }
                serveWaiting(); // the codec applied the settings first: MAX_CONCURRENT_STREAMS may have grown
            } else if (msg instanceof Http2GoAwayFrame) {
                // Streams above the last id are closed by the codec (and retried by their exchanges); the rest finish.
                stopTakingStreams();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent handshake = (SslHandshakeCompletionEvent) evt;
            if (!handshake.isSuccess()) {
                failure = handshake.cause();
            } else if (ApplicationProtocolNames.HTTP_1_1.equals(ctx.pipeline().get(SslHandler.class).applicationProtocol())) {
                failure = new SSLException("the backend chose http/1.1 by ALPN, not h2");
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** New requests go to a new connection from now on; requests still waiting for a stream go there too. */
    private void stopTakingStreams() {
        if (closed) {
            return;
        }
        closed = true;
        owner.remove(this);
        Http2StreamRequester next;
        while ((next = waiting.poll()) != null) {
            if (!next.isDone()) {
                owner.openStream(backend, next);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (!ready) {
            // Closed before it could carry a stream (TLS failure, not an HTTP/2 server, ...).
            closed = true;
            owner.remove(this);
            failWaiting(failure, false);
        } else {
            stopTakingStreams();
        }
        ctx.fireChannelInactive();
    }

    private void failWaiting(Throwable cause, boolean connectFailed) {
        Http2StreamRequester next;
        while ((next = waiting.poll()) != null) {
            if (!next.isDone()) {
                next.onStreamFailed(cause, connectFailed);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    /** One timer per connection (not one per idle period): closes it once it idled long enough. */
    private void scheduleIdleCheck() {
        Channel ch = ctx.channel();
        idleCheck = ch.eventLoop().schedule(() -> {
            if (openStreams == 0 && waiting.isEmpty() && System.nanoTime() - idleSince >= idleTimeoutNanos) {
                stopTakingStreams();
                ch.close();
            } else if (ch.isActive()) {
                scheduleIdleCheck();
            }
        }, Math.max(idleTimeoutNanos / 2, 1_000_000L), TimeUnit.NANOSECONDS);
    }
}
