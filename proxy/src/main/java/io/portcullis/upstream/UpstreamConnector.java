package io.portcullis.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;

/**
 * Opens upstream connections on the caller's event loop (so the pair shares one thread) with the
 * asynchronous DNS resolver, the connect timeout, bounded write buffers and an HTTP/1.1 request encoder and
 * response decoder.
 */
public final class UpstreamConnector {
    private final Bootstrap template;
    private final UpstreamSettings settings;

    public UpstreamConnector(Class<? extends Channel> channelClass, AddressResolverGroup<InetSocketAddress> resolver,
                             UpstreamSettings settings) {
        this.settings = settings;
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

    /** Connects to {@code backend} on {@code loop}; the future's channel has an {@link UpstreamHandler}. */
    public ChannelFuture connect(EventLoop loop, Backend backend) {
        return template.clone(loop)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (backend.tls() != null) {
                            p.addLast("tls", backend.tls().newHandler(ch.alloc(), backend.port()));
                        }
                        UpstreamResponseDecoder decoder = new UpstreamResponseDecoder(decoderConfig());
                        p.addLast("decoder", decoder);
                        p.addLast("encoder", new HttpRequestEncoder());
                        p.addLast("upstream", new UpstreamHandler(backend, decoder));
                    }
                })
                .connect(backend.address());
    }

    /**
     * Strict framing, as for clients; header names and values are not re-validated one by one, since the
     * decoder has already split the lines (no CR/LF can be in a value) and the backend is configured, not
     * anonymous: that validation was a tenth of the gateway's CPU time on small responses.
     */
    private HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig()
                .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false))
                .setTrailersFactory(DefaultHttpHeadersFactory.trailersFactory().withValidation(false))
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(64 * 1024)
                .setMaxChunkSize(settings.bufferLimit())
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true);
    }
}
