package io.portcullis.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.List;

/**
 * The client-connection pipeline, in order: TLS on HTTPS binds (the SNI name picks the certificate), HTTP/2
 * detection by the connection preface (then the HTTP/2 stages replace the rest, see {@link Http2Frontend}), strict
 * HTTP/1.1 decoding (with the time limits on raw bytes), response
 * encoding, then the proxy handler (which also holds pipelined requests and paused body parts).
 */
public final class FrontendInitializer extends ChannelInitializer<SocketChannel> {
    /** The HTTP/1.1 stages, which {@link Http2Frontend} removes when a connection turns out to speak h2. */
    static final String DECODER = "decoder";
    static final String ENCODER = "encoder";
    static final String PROXY = "proxy";
    static final List<String> HTTP1_STAGES = List.of(DECODER, ENCODER, PROXY);

    private final BindContext bind;
    private final ChannelGroup connections;

    public FrontendInitializer(BindContext bind, ChannelGroup connections) {
        this.bind = bind;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        BindContext.Settings settings = bind.settings();
        FrontendLimits limits = settings.limits();
        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
        HeadTimeouts timeouts = new HeadTimeouts(limits.requestHeadTimeoutNanos(), limits.idleTimeoutNanos());
        ChannelPipeline p = ch.pipeline();
        if (settings.tls() != null) {
            // Replaces itself with the SslHandler of the chosen certificate; the handshake timeout covers both.
            p.addLast("tls", settings.tls().newHandler());
        }
        p.addLast("detect", new Http2Detector(new Http2Frontend(bind, settings)));
        p.addLast(DECODER, new StrictRequestDecoder(limits, timeouts));
        p.addLast(ENCODER, encoder);
        p.addLast(PROXY, new FrontendHandler(bind, settings, encoder, timeouts));
    }
}
