package io.portcullis.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * Tells HTTP/2 from HTTP/1.1 by the first bytes of a connection (after TLS, if any): an HTTP/2 client always
 * opens with the connection preface, whether it chose h2 by ALPN or speaks h2c with prior knowledge. On a
 * preface the HTTP/1.1 stages are swapped for the HTTP/2 ones; otherwise this handler just steps aside. Either
 * way the bytes read so far go on to the stage that follows.
 */
final class Http2Detector extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Http2Frontend http2;

    Http2Detector(Http2Frontend http2) {
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n)) {
            ctx.pipeline().remove(this); // HTTP/1.x: the cumulated bytes go to the request decoder
            return;
        }
        if (n == PREFACE.readableBytes()) {
            ChannelPipeline p = ctx.pipeline();
            http2.install(p, ctx.name());
            p.remove(this); // the preface and what follows go to the HTTP/2 codec
        }
        // else: a prefix of the preface so far; wait for more bytes
    }
}
