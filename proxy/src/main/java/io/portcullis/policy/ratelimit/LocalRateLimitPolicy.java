package io.portcullis.policy.ratelimit;

import io.portcullis.config.policy.RateLimitConfig;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import java.util.List;

/** {@code localRateLimit}. STUB: to be implemented. */
public final class LocalRateLimitPolicy implements Policy {

    public static LocalRateLimitPolicy compile(List<RateLimitConfig> buckets) {
        return new LocalRateLimitPolicy();
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        return PolicyResult.CONTINUE;
    }
}
