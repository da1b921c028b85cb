package io.portcullis.policy.cors;

import io.portcullis.config.policy.CorsConfig;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;

/** {@code cors}. STUB: to be implemented. */
public final class CorsPolicy implements Policy {

    public static CorsPolicy compile(CorsConfig config) {
        return new CorsPolicy();
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        return PolicyResult.CONTINUE;
    }
}
