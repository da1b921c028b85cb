package io.portcullis.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.portcullis.http.WebSocketUpgrade;
import java.util.List;

/**
 * Netty's request decoder with the strict framing the design asks for: strict line parsing (no bare LF),
 * no duplicate Content-Length, only {@code chunked} as Transfer-Encoding (RFC 9112), and a request that
 * carries both Content-Length and Transfer-Encoding is rejected (400) rather than repaired, since the two
 * framings are the classic request-smuggling vector.
 *
 * <p>After a WebSocket upgrade request the decoder stops decoding: whatever the client sends next belongs
 * to the protocol the backend may switch to, not to HTTP. The bytes stay in the decoder (reading stops once
 * they reach the buffer limit) until the frontend either switches the connection to a tunnel (removing
 * this decoder hands them on) or answers without switching and closes.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    private final HeadTimeouts timeouts;
    private final int holdLimit;
    private boolean upgradeAsked;
    private boolean holding;

    public StrictRequestDecoder(FrontendLimits limits, HeadTimeouts timeouts) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(limits.bufferLimit())
                .setAllowDuplicateContentLengths(false)
                .setAllowPartialChunks(true)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setValidateHeaders(true));
        this.timeouts = timeouts;
        this.holdLimit = limits.bufferLimit();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (holding) {
            return;
        }
        int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object decoded = out.get(i);
            if (decoded instanceof HttpRequest) {
                HttpRequest request = (HttpRequest) decoded;
                upgradeAsked = request.decoderResult().isSuccess() && WebSocketUpgrade.isRequest(request);
            }
            if (decoded instanceof LastHttpContent && upgradeAsked) {
                holding = true;
            }
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timeouts.start(ctx);
        super.channelActive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        timeouts.stop(); // replaced by the HTTP/2 stages: its timers must not fire into their pipeline
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        timeouts.stop();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf && !timeouts.onRead((ByteBuf) msg)) {
            ((ByteBuf) msg).release();
            return;
        }
        super.channelRead(ctx, msg);
        if (holding && internalBuffer().readableBytes() >= holdLimit) {
            ctx.channel().config().setAutoRead(false); // bounded until the upgrade is decided
        }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding");
    }
}
