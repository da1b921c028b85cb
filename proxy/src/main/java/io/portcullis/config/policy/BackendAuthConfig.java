package io.portcullis.config.policy;

/**
 * {@code backendAuth}: so far only {@code passthrough: {}}, which keeps the validated incoming token on the
 * forwarded request (by default {@code jwtAuth} removes it so the backend never sees the client's credential).
 */
public record BackendAuthConfig(PassthroughConfig passthrough) {

    public record PassthroughConfig(TokenLocationConfig location) {}
}
