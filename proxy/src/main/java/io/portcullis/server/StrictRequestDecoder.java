package io.portcullis.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder with the strict framing the design asks for: strict line parsing (no bare LF),
 * no duplicate Content-Length, only {@code chunked} as Transfer-Encoding (RFC 9112), and a request that
 * carries both Content-Length and Transfer-Encoding is rejected (400) rather than repaired, since the two
 * framings are the classic request-smuggling vector.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    private final HeadTimeouts timeouts;

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
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding");
    }
}
