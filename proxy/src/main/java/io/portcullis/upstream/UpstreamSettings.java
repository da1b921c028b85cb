package io.portcullis.upstream;

/**
 * Connection settings for every backend ({@code config.backend}), defaults applied.
 *
 * @param connectTimeoutMillis TCP connect timeout (default 5 s, the design's hardening default)
 * @param idleTimeoutMillis how long a pooled connection may idle (default 90 s, agentgateway's)
 * @param maxIdlePerBackend idle connections kept per backend and event loop
 * @param bufferLimit write-buffer high watermark per connection, bytes
 */
public record UpstreamSettings(long connectTimeoutMillis, long idleTimeoutMillis, int maxIdlePerBackend, int bufferLimit) {
    public long idleTimeoutNanos() {
        return idleTimeoutMillis * 1_000_000L;
    }
}
