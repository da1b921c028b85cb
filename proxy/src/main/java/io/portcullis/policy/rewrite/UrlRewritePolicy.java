package io.portcullis.policy.rewrite;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;

/** {@code urlRewrite}: changes the forwarded path and/or the Host sent upstream. */
public final class UrlRewritePolicy implements Policy {
    private final AuthorityRewrite authority;
    private final PathRewrite path;

    public UrlRewritePolicy(AuthorityRewrite authority, PathRewrite path) {
        this.authority = authority;
        this.path = path;
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        if (path != null) {
            ctx.path(path.apply(ctx.path(), ctx.entry().match()));
        }
        if (authority != null) {
            String host = ctx.request().headers().get(HttpHeaderNames.HOST, "");
            ctx.authorityOverride(authority.apply(host));
        }
        return PolicyResult.CONTINUE;
    }
}
