package io.portcullis.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A WebSocket echo server on 127.0.0.1 (Netty's server handshake and frame codec): every text, binary and
 * continuation frame comes back as it was, pings are answered and the close handshake completed by Netty.
 * A handshake for a path under {@code /deny} is answered 403 instead of 101. Records the handshake headers.
 */
public final class WebSocketEchoBackend implements AutoCloseable {
    private final LoopbackServer server;
    private final AtomicReference<HttpHeaders> lastHandshake = new AtomicReference<>();

    public WebSocketEchoBackend() throws InterruptedException {
        server = new LoopbackServer(ch -> ch.pipeline().addLast(new HttpServerCodec(),
                new HttpObjectAggregator(64 * 1024),
                new Handshakes(),
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/")
                        .checkStartsWith(true)
                        .maxFramePayloadLength(8 * 1024 * 1024)
                        .build()),
                new Echo()));
    }

    public String hostPort() {
        return server.hostPort();
    }

    /** The headers of the last handshake request. */
    public HttpHeaders lastHandshake() {
        return lastHandshake.get();
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return server.connections();
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Handshakes extends SimpleChannelInboundHandler<FullHttpRequest> {
        Handshakes() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            lastHandshake.set(request.headers().copy());
            if (request.uri().startsWith("/deny")) {
                request.release();
                DefaultFullHttpResponse denied = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.FORBIDDEN, Unpooled.copiedBuffer("denied\n", StandardCharsets.US_ASCII));
                denied.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, denied.content().readableBytes());
                ctx.writeAndFlush(denied);
                return;
            }
            ctx.fireChannelRead(request);
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            ctx.writeAndFlush(frame.retain()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the gateway ended the tunnel (a limit under test): nothing to report
        }
    }
}
