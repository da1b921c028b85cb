package io.portcullis.policy.jwt;

import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;

/** {@code jwtAuth}. STUB. */
public final class JwtAuthPolicy implements Policy {

    @Override
    public PolicyResult apply(RequestContext ctx) {
        return PolicyResult.CONTINUE;
    }
}
