package io.portcullis.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.resolver.AddressResolverGroup;
import io.portcullis.observability.Metrics;
import java.net.InetSocketAddress;

/**
 * Opens upstream connections on the caller's event loop (so the pair shares one thread) with the
 * asynchronous DNS resolver, the connect timeout, bounded write buffers and an HTTP/1.1 request encoder and
 * response decoder, or the HTTP/2 frame codec and stream multiplexer of an {@link Http2Connection}.
 */
public final class UpstreamConnector {
    /** Receive window of each HTTP/2 stream to a backend (what it may send before the client reads). */
    static final int HTTP2_STREAM_WINDOW = 1024 * 1024;
    /** Server push is turned off in the settings; a pushed stream anyway is closed at once. */
    private static final ChannelHandler NO_PUSH = new ChannelInboundHandlerAdapter() {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    };

    private final Bootstrap template;
    private final UpstreamSettings settings;
    private final Metrics metrics;
    private final ChannelGroup opened;

    /**
     * {@code opened}: every connection this connector opens joins it (and leaves when it closes), so that the
     * server can close its upstream connections, pooled ones included, while its event loops still run.
     */
    public UpstreamConnector(Class<? extends Channel> channelClass, AddressResolverGroup<InetSocketAddress> resolver,
                             UpstreamSettings settings, Metrics metrics, ChannelGroup opened) {
        this.settings = settings;
        this.metrics = metrics;
        this.opened = opened;
        this.template = new Bootstrap()
                .channel(channelClass)
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.bufferLimit() / 2, settings.bufferLimit()));
    }

    public UpstreamSettings settings() {
        return settings;
    }

    public Metrics metrics() {
        return metrics;
    }

    /**
     * Connects to {@code backend} on {@code loop}; the future's channel has an {@link UpstreamHandler}. The
     * connect time is observed and the connection counted in {@code active_connections} until it closes.
     */
    public ChannelFuture connect(EventLoop loop, Backend backend) {
        long start = System.nanoTime();
        Metrics.BackendMetrics m = metrics.backend(backend.authority());
        ChannelFuture connect = template.clone(loop)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (backend.tls() != null) {
                            p.addLast("tls", backend.tls().newHandler(ch.alloc(), backend.port()));
                        }
                        UpstreamResponseDecoder decoder = new UpstreamResponseDecoder(decoderConfig(settings.bufferLimit()));
                        p.addLast("decoder", decoder);
                        p.addLast("encoder", new HttpRequestEncoder());
                        p.addLast("upstream", new UpstreamHandler(backend, decoder));
                    }
                })
                .connect(backend.address());
        opened.add(connect.channel());
        connect.addListener(done -> {
            if (done.isSuccess()) {
                m.connectDuration().observe((System.nanoTime() - start) / 1e9);
                m.activeConnections().inc();
                connect.channel().closeFuture().addListener(closed -> m.activeConnections().dec());
            }
        });
        return connect;
    }

    /**
     * Connects an HTTP/2 connection to {@code backend} on {@code loop}: h2 by ALPN over TLS, h2c with prior
     * knowledge otherwise; {@code connection} ends the pipeline and hands out its streams.
     */
    ChannelFuture connectHttp2(EventLoop loop, Backend backend, Http2Connection connection) {
        ChannelFuture connect = template.clone(loop)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (backend.tls() != null) {
                            p.addLast("tls", backend.tls().newHttp2Handler(ch.alloc(), backend.port()));
                        }
                        Http2Settings settings = Http2Settings.defaultSettings()
                                .pushEnabled(false)
                                .initialWindowSize(HTTP2_STREAM_WINDOW)
                                .maxHeaderListSize(64 * 1024);
                        p.addLast("h2", Http2FrameCodecBuilder.forClient().initialSettings(settings).build());
                        p.addLast("streams", new Http2MultiplexHandler(NO_PUSH));
                        p.addLast("connection", connection);
                    }
                })
                .connect(backend.address());
        opened.add(connect.channel());
        return connect;
    }

    /**
     * Strict framing, as for clients; header names and values are not re-validated one by one, since the
     * decoder has already split the lines (no CR/LF can be in a value) and the backend is configured, not
     * anonymous: that validation was a tenth of the gateway's CPU time on small responses.
     * {@code maxChunkSize}: the connection's buffer limit. Package-private for the response relay benchmark.
     */
    static HttpDecoderConfig decoderConfig(int maxChunkSize) {
        return new HttpDecoderConfig()
                .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false))
                .setTrailersFactory(DefaultHttpHeadersFactory.trailersFactory().withValidation(false))
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(64 * 1024)
                .setMaxChunkSize(maxChunkSize)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true);
    }
}
