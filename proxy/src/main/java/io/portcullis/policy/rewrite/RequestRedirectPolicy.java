package io.portcullis.policy.rewrite;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.portcullis.http.LocalReplies;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;

/** {@code requestRedirect}: answers with a redirect to the request URL with scheme, authority or path replaced. */
public final class RequestRedirectPolicy implements Policy {
    private static final String REASON = "redirect";

    private final String scheme;
    private final AuthorityRewrite authority;
    private final PathRewrite path;
    private final HttpResponseStatus status;

    public RequestRedirectPolicy(String scheme, AuthorityRewrite authority, PathRewrite path, Integer status) {
        this.scheme = scheme;
        this.authority = authority;
        this.path = path;
        this.status = HttpResponseStatus.valueOf(status == null ? 302 : status);
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        String host = ctx.request().headers().get(HttpHeaderNames.HOST, "");
        String location = (scheme != null ? scheme : ctx.scheme())
                + "://" + (authority != null ? authority.apply(host) : host)
                + (path != null ? path.apply(ctx.path(), ctx.entry().match()) : ctx.path())
                + (ctx.view().rawQuery() != null ? "?" + ctx.view().rawQuery() : "");
        FullHttpResponse reply = LocalReplies.empty(status);
        reply.headers().set(HttpHeaderNames.LOCATION, location);
        return PolicyResult.respond(reply, REASON);
    }
}
