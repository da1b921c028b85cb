package io.portcullis.config.policy;

/**
 * {@code routes[].backends[].policies}: agentgateway's backend policies; Portcullis implements {@code http} (the
 * HTTP version spoken to the backend). The others are refused at load as not supported yet.
 */
public record BackendPoliciesConfig(BackendHttpConfig http) {}
