package io.portcullis.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Decodes a backend's responses. A response that is whole in the buffer with a Content-Length body comes out
 * as one {@link RawResponse} (see {@link RawResponseParser}); any other goes through Netty's decoder from its
 * first byte to its last part, so the two never share a message.
 *
 * <p>Told by the exchange when the request was a HEAD, whose response has framing headers but no body
 * (Netty's HttpClientCodec keeps a queue of request methods for this; one request is in flight per
 * connection here, so a flag does, without the combined-handler indirection). Those always take Netty's path.
 */
final class UpstreamResponseDecoder extends HttpResponseDecoder {
    private final RawResponseParser raw;
    private boolean headRequest;
    /** Netty's decoder has started a message (or failed, after which it reads nothing more). */
    private boolean nettyMessage;

    UpstreamResponseDecoder(HttpDecoderConfig config) {
        super(config);
        this.raw = new RawResponseParser(config.getMaxInitialLineLength());
    }

    void headRequest(boolean head) {
        this.headRequest = head;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (!nettyMessage && !headRequest) {
            RawResponse response = raw.parse(buffer);
            if (response != null) {
                out.add(response);
                return;
            }
        }
        nettyMessage = true;
        int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object part = out.get(i);
            if (part instanceof LastHttpContent && ((LastHttpContent) part).decoderResult().isSuccess()) {
                nettyMessage = false;
            }
        }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        int code = ((HttpResponse) msg).status().code();
        if (headRequest && code >= 200) {
            return true;
        }
        return super.isContentAlwaysEmpty(msg);
    }
}
