package io.portcullis.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * The HTTP/2 side of a client connection: Netty's frame codec (with its flood, rapid-reset and CONTINUATION
 * protections) and one child channel per stream, where each stream's frames become the same HTTP objects the
 * HTTP/1.1 decoder produces, so routing, policies and forwarding are shared. A stream carries one request;
 * streams share the connection's event loop and so its upstream pools.
 */
final class Http2Frontend {
    static final int MAX_CONCURRENT_STREAMS = 100;
    static final int INITIAL_WINDOW = 1024 * 1024;

    private final BindContext bind;
    private final BindContext.Settings conn;

    Http2Frontend(BindContext bind, BindContext.Settings conn) {
        this.bind = bind;
        this.conn = conn;
    }

    /** Replaces the HTTP/1.1 stages after {@code after} with the HTTP/2 ones. */
    void install(ChannelPipeline p, String after) {
        for (String http1 : FrontendInitializer.HTTP1_STAGES) {
            if (p.get(http1) != null) {
                p.remove(http1);
            }
        }
        FrontendLimits limits = conn.limits();
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .initialWindowSize(INITIAL_WINDOW)
                .maxHeaderListSize(limits.maxHeaderBytes());
        p.addAfter(after, "h2", Http2FrameCodecBuilder.forServer().initialSettings(settings).build());
        p.addAfter("h2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
                ch.pipeline().addLast(FrontendInitializer.PROXY, new FrontendHandler(bind, conn, null,
                        new HeadTimeouts(limits.requestHeadTimeoutNanos(), limits.idleTimeoutNanos())));
            }
        }));
        p.addAfter("streams", "drain", new Http2Drain());
    }

    /**
     * On drain, closes the connection the HTTP/2 way: the frame codec sends GOAWAY, lets the streams in
     * progress finish (within its graceful-shutdown timeout) and then closes, so a client that keeps an idle
     * h2 connection open does not hold the drain until its deadline.
     */
    private static final class Http2Drain extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == DrainEvent.INSTANCE) {
                ctx.channel().close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }
    }
}
