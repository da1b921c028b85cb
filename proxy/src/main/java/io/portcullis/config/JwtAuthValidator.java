package io.portcullis.config;

import io.portcullis.config.policy.JwtAuthConfig;
import java.util.List;

/** Checks {@code jwtAuth}. STUB. */
final class JwtAuthValidator {
    private final Reporter report;

    JwtAuthValidator(Reporter report) {
        this.report = report;
    }

    void validate(JwtAuthConfig config) {
    }
}
