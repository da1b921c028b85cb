package io.portcullis.config.policy;

/**
 * {@code backends[].policies.http}: {@code version} is the HTTP version used towards the backend, written as
 * agentgateway writes it: {@code "HTTP/1.1"} or {@code "HTTP/2.0"} (h2c with prior knowledge in the clear, h2 by
 * ALPN over TLS). Unset: HTTP/1.1, except gRPC requests (HTTP/2 only) and TLS connections where ALPN picks h2.
 */
public record BackendHttpConfig(String version) {
    public static final String HTTP_1_1 = "HTTP/1.1";
    public static final String HTTP_2 = "HTTP/2.0";
}
