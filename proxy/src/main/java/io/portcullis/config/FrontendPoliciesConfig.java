package io.portcullis.config;

/** Top-level {@code frontendPolicies}: limits for downstream connections. */
public record FrontendPoliciesConfig(FrontendHttpConfig http) {}
