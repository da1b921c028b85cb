package io.portcullis.policy;

import io.portcullis.policy.direct.DirectResponsePolicy;
import io.portcullis.policy.headers.RequestHeaderModifierPolicy;
import io.portcullis.policy.rewrite.RequestRedirectPolicy;
import io.portcullis.policy.rewrite.UrlRewritePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The request policies of one route in the fixed order agentgateway uses, so configs behave the same:
 * cors, jwtAuth, authorization, localRateLimit (not yet implemented), then requestHeaderModifier →
 * urlRewrite → requestRedirect → directResponse. Header modification runs before the redirect and the
 * direct response because both may read what it set; authentication (when it lands) must run before
 * anything that can answer locally with route content.
 */
public final class PolicyChain {
    public static final PolicyChain EMPTY = new PolicyChain(new Policy[0]);

    private final Policy[] policies;

    private PolicyChain(Policy[] policies) {
        this.policies = policies;
    }

    /** Builds the chain in the fixed order; null arguments are policies the route does not have. */
    public static PolicyChain of(RequestHeaderModifierPolicy requestHeaders, UrlRewritePolicy urlRewrite,
                                 RequestRedirectPolicy redirect, DirectResponsePolicy directResponse) {
        List<Policy> list = new ArrayList<>(4);
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

    /** Runs the chain; the first non-continue result wins. */
    public PolicyResult apply(RequestContext ctx) {
        for (Policy policy : policies) {
            PolicyResult result = policy.apply(ctx);
            if (!result.isContinue()) {
                return result;
            }
        }
        return PolicyResult.CONTINUE;
    }

    public int size() {
        return policies.length;
    }
}
