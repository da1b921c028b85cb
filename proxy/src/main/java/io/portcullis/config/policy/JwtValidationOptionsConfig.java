package io.portcullis.config.policy;

import java.util.List;

/** {@code jwtValidationOptions.requiredClaims}: registered claims that must be present (default {@code [exp]}). */
public record JwtValidationOptionsConfig(List<String> requiredClaims) {}
