package io.portcullis.policy;

import io.portcullis.policy.authz.AuthorizationPolicy;
import io.portcullis.policy.cors.CorsPolicy;
import io.portcullis.policy.direct.DirectResponsePolicy;
import io.portcullis.policy.headers.RequestHeaderModifierPolicy;
import io.portcullis.policy.jwt.JwtAuthPolicy;
import io.portcullis.policy.ratelimit.LocalRateLimitPolicy;
import io.portcullis.policy.rewrite.RequestRedirectPolicy;
import io.portcullis.policy.rewrite.UrlRewritePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The request policies of one route in the fixed order agentgateway uses, so configs behave the same:
 * cors → jwtAuth → authorization → localRateLimit → requestHeaderModifier → urlRewrite → requestRedirect →
 * directResponse. CORS comes first because a preflight carries no credentials; authentication runs before
 * authorization (which reads the claims) and before rate limiting (which may key buckets by a claim, and
 * must not let unauthenticated floods drain an authenticated user's bucket); header modification runs
 * before the redirect and the direct response because both may read what it set.
 */
public final class PolicyChain {
    public static final PolicyChain EMPTY = new PolicyChain(new Policy[0]);

    private final Policy[] policies;

    private PolicyChain(Policy[] policies) {
        this.policies = policies;
    }

    /** Builds the chain in the fixed order; null arguments are policies the route does not have. */
    public static PolicyChain of(CorsPolicy cors, JwtAuthPolicy jwtAuth, AuthorizationPolicy authorization,
                                 LocalRateLimitPolicy rateLimit, RequestHeaderModifierPolicy requestHeaders,
                                 UrlRewritePolicy urlRewrite, RequestRedirectPolicy redirect,
                                 DirectResponsePolicy directResponse) {
        List<Policy> list = new ArrayList<>(8);
        addIfPresent(list, cors);
        addIfPresent(list, jwtAuth);
        addIfPresent(list, authorization);
        addIfPresent(list, rateLimit);
        addIfPresent(list, requestHeaders);
        addIfPresent(list, urlRewrite);
        addIfPresent(list, redirect);
        addIfPresent(list, directResponse);
        return list.isEmpty() ? EMPTY : new PolicyChain(list.toArray(new Policy[0]));
    }

    private static void addIfPresent(List<Policy> list, Policy policy) {
        if (policy != null) {
            list.add(policy);
        }
    }

    /**
     * Runs the chain, or resumes it where it was suspended; the first non-continue result wins. After a
     * {@link PolicyResult#isPending() pending} result, call this again with the same context once the
     * pending stage completes: the policy that asked to wait runs again.
     */
    public PolicyResult apply(RequestContext ctx) {
        for (int i = ctx.nextPolicy(); i < policies.length; i++) {
            ctx.nextPolicy(i);
            PolicyResult result = policies[i].apply(ctx);
            if (result.isPending()) {
                ctx.waitedAt(i);
                return result;
            }
            if (!result.isContinue()) {
                return result;
            }
        }
        ctx.nextPolicy(policies.length);
        return PolicyResult.CONTINUE;
    }

    /** Closes every policy of the chain (see {@link Policy#close()}). */
    public void close() {
        for (Policy policy : policies) {
            policy.close();
        }
    }

    public int size() {
        return policies.length;
    }
}
