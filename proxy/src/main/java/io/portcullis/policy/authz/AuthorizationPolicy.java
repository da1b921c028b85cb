package io.portcullis.policy.authz;

import io.portcullis.config.policy.AuthorizationConfig;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;

/** {@code authorization}. STUB: to be implemented. */
public final class AuthorizationPolicy implements Policy {

    public static AuthorizationPolicy compile(AuthorizationConfig config) {
        return new AuthorizationPolicy();
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        return PolicyResult.CONTINUE;
    }
}
