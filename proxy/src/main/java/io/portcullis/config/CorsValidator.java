package io.portcullis.config;

import io.portcullis.config.policy.CorsConfig;
import java.util.List;

/** Checks {@code cors}. STUB. */
final class CorsValidator {
    private final Reporter report;

    CorsValidator(Reporter report) {
        this.report = report;
    }

    void validate(CorsConfig config) {
    }
}
