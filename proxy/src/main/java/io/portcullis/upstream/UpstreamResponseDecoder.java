package io.portcullis.upstream;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Decodes a backend's responses; told by the exchange when the request was a HEAD, whose response has
 * framing headers but no body. (Netty's HttpClientCodec keeps a queue of request methods for this; one
 * request is in flight per connection here, so a flag does, without the combined-handler indirection.)
 */
final class UpstreamResponseDecoder extends HttpResponseDecoder {
    private boolean headRequest;

    UpstreamResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    void headRequest(boolean head) {
        this.headRequest = head;
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
