package io.portcullis.policy.ratelimit;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.policy.RequestContext;
import io.portcullis.routing.RequestView;
import java.util.Map;

/** Request contexts as the frontend builds them, for policy unit tests. */
final class Requests {
    private Requests() {}

    /** A GET from {@code peerIp} with the given header name/value pairs. */
    static RequestContext from(String peerIp, String... headerPairs) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().set("host", "api.example.com");
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.headers().add(headerPairs[i], headerPairs[i + 1]);
        }
        RequestView view = new RequestView(HttpMethod.GET, "/", null, "api.example.com", request.headers());
        return new RequestContext(request, view, null, UnpooledByteBufAllocator.DEFAULT, "http", peerIp, false);
    }

    /** A GET from {@code peerIp} whose token {@code jwtAuth} validated had these claims. */
    static RequestContext withClaims(String peerIp, Map<String, Object> claims) {
        RequestContext ctx = from(peerIp);
        ctx.claims(claims);
        return ctx;
    }
}
