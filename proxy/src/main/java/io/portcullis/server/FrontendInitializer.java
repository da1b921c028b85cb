package io.portcullis.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flow.FlowControlHandler;

/**
 * The client-connection pipeline, in order: time limits on raw bytes, strict HTTP/1.1 decoding, response
 * encoding, one-message-per-read flow control (so pipelined requests wait their turn and body parts are
 * read only when the backend can take them), then the proxy handler.
 */
public final class FrontendInitializer extends ChannelInitializer<SocketChannel> {
    private final BindContext bind;
    private final ChannelGroup connections;

    public FrontendInitializer(BindContext bind, ChannelGroup connections) {
        this.bind = bind;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        FrontendLimits limits = bind.limits();
        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
        HeadTimeoutHandler timeouts = new HeadTimeoutHandler(limits.requestHeadTimeoutNanos(), limits.idleTimeoutNanos());
        ChannelPipeline p = ch.pipeline();
        p.addLast("timeouts", timeouts);
        p.addLast("decoder", new StrictRequestDecoder(limits));
        p.addLast("encoder", encoder);
        p.addLast("flow", new FlowControlHandler());
        p.addLast("proxy", new FrontendHandler(bind, encoder, timeouts));
    }
}
