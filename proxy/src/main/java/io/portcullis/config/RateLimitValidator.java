package io.portcullis.config;

import io.portcullis.config.policy.RateLimitConfig;
import java.util.List;

/** Checks {@code localRateLimit}. STUB. */
final class RateLimitValidator {
    private final Reporter report;

    RateLimitValidator(Reporter report) {
        this.report = report;
    }

    void validate(List<RateLimitConfig> config) {
    }
}
