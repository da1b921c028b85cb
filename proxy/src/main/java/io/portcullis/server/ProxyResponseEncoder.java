package io.portcullis.server;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * The response encoder, told by the frontend whether the current request is a HEAD, so that a HEAD response
 * keeps its Content-Length or Transfer-Encoding headers but gets no body framing. Requests are answered one
 * at a time on a connection, so one flag is enough (Netty's server codec keeps a queue for the same).
 */
public final class ProxyResponseEncoder extends HttpResponseEncoder {
    private boolean headRequest;

    public void headRequest(boolean head) {
        this.headRequest = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        int code = msg.status().code();
        return (headRequest && code >= 200) || super.isContentAlwaysEmpty(msg);
    }
}
