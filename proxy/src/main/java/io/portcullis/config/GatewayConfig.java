package io.portcullis.config;

import java.util.List;

/** The whole file: {@code config} (static settings), {@code binds} and {@code frontendPolicies}. Mirrors the YAML. */
public record GatewayConfig(StaticConfig config, List<BindConfig> binds, FrontendPoliciesConfig frontendPolicies) {}
