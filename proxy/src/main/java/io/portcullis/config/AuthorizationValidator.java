package io.portcullis.config;

import io.portcullis.config.policy.AuthorizationConfig;
import java.util.List;

/** Checks {@code authorization}. STUB. */
final class AuthorizationValidator {
    private final Reporter report;

    AuthorizationValidator(Reporter report) {
        this.report = report;
    }

    void validate(AuthorizationConfig config) {
    }
}
