package io.portcullis.config.policy;

/**
 * {@code jwtAuth.mode}, agentgateway's meaning: {@code strict} needs a valid token; {@code optional} (the
 * default) validates a token when one is sent and lets requests without one through; {@code permissive}
 * never blocks and only makes the claims of a valid token available to later policies.
 */
public enum JwtMode { strict, optional, permissive }
