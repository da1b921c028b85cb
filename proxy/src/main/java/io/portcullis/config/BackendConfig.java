package io.portcullis.config;

import io.portcullis.config.policy.BackendPoliciesConfig;

/**
 * {@code routes[].backends[]}: {@code host: "host:port"}, a relative {@code weight} (default 1) and the backend's
 * own {@code policies} (so far only {@code http}).
 */
public record BackendConfig(String host, Integer weight, BackendPoliciesConfig policies) {
    public BackendConfig(String host, Integer weight) {
        this(host, weight, null);
    }
}
