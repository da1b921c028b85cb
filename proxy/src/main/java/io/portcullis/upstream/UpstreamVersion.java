package io.portcullis.upstream;

/**
 * The HTTP version spoken to a backend ({@code backends[].policies.http.version}). {@link #AUTO}, the default:
 * HTTP/1.1, except for gRPC requests (which need HTTP/2) and over TLS when ALPN picks h2.
 */
public enum UpstreamVersion {
    AUTO,
    HTTP1,
    HTTP2
}
