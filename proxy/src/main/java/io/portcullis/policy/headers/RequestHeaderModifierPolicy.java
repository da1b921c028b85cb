package io.portcullis.policy.headers;

import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;

/** {@code requestHeaderModifier}: changes the request headers before forwarding. */
public final class RequestHeaderModifierPolicy implements Policy {
    private final HeaderModifier modifier;

    public RequestHeaderModifierPolicy(HeaderModifier modifier) {
        this.modifier = modifier;
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        modifier.apply(ctx.request().headers());
        if (modifier.setsHost()) {
            ctx.authorityOverride(ctx.request().headers().get(io.netty.handler.codec.http.HttpHeaderNames.HOST));
        }
        return PolicyResult.CONTINUE;
    }
}
