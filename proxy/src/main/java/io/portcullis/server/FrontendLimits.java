package io.portcullis.server;

import io.portcullis.config.FrontendHttpConfig;
import io.portcullis.config.FrontendPoliciesConfig;
import io.portcullis.http.CidrSet;
import java.time.Duration;

/**
 * Hardening limits for client connections, with the design's defaults for whatever
 * {@code frontendPolicies.http} leaves out.
 *
 * @param maxRequestLine request line bytes (414 beyond)
 * @param maxHeaderBytes header block bytes (431 beyond)
 * @param maxHeaders header fields (431 beyond)
 * @param maxRequestBodySize default body limit of a route (413 beyond)
 * @param requestHeadTimeoutNanos time to receive a whole request head once its first byte arrived (408)
 * @param idleTimeoutNanos keep-alive idle time between requests
 * @param maxRequestsPerConnection requests before the connection is closed
 * @param bufferLimit bytes buffered per connection before reading pauses
 * @param trustedProxies peers whose X-Forwarded-* headers are kept and extended
 * @param websocketIdleNanos a WebSocket tunnel without a frame either way for this long is closed
 * @param websocketMaxMessage bytes of one WebSocket message (the frames of a fragmented one added up)
 */
public record FrontendLimits(
        int maxRequestLine,
        int maxHeaderBytes,
        int maxHeaders,
        long maxRequestBodySize,
        long requestHeadTimeoutNanos,
        long idleTimeoutNanos,
        int maxRequestsPerConnection,
        int bufferLimit,
        CidrSet trustedProxies,
        CidrSet trustedIdentityProxies,
        long websocketIdleNanos,
        int websocketMaxMessage) {

    public static final int DEFAULT_MAX_REQUEST_LINE = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
    public static final int DEFAULT_MAX_HEADERS = 100;
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    public static final int DEFAULT_MAX_REQUESTS = 1000;
    public static final int DEFAULT_BUFFER_LIMIT = 32 * 1024;
    public static final Duration DEFAULT_WEBSOCKET_IDLE = Duration.ofMinutes(5);
    public static final int DEFAULT_WEBSOCKET_MAX_MESSAGE = 1024 * 1024;

    public static FrontendLimits from(FrontendPoliciesConfig policies) {
        FrontendHttpConfig http = policies == null ? null : policies.http();
        if (http == null) {
            http = new FrontendHttpConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        return new FrontendLimits(
                http.maxRequestLineSize() == null ? DEFAULT_MAX_REQUEST_LINE : (int) http.maxRequestLineSize().bytes(),
                http.maxHeaderSize() == null ? DEFAULT_MAX_HEADER_BYTES : (int) http.maxHeaderSize().bytes(),
                http.http1MaxHeaders() == null ? DEFAULT_MAX_HEADERS : http.http1MaxHeaders(),
                http.maxRequestBodySize() == null ? DEFAULT_MAX_BODY : http.maxRequestBodySize().bytes(),
                orDefault(http.requestHeaderTimeout(), DEFAULT_HEAD_TIMEOUT).toNanos(),
                orDefault(http.http1IdleTimeout(), DEFAULT_IDLE_TIMEOUT).toNanos(),
                http.maxRequestsPerConnection() == null ? DEFAULT_MAX_REQUESTS : http.maxRequestsPerConnection(),
                http.maxBufferSize() == null ? DEFAULT_BUFFER_LIMIT : (int) Math.min(Integer.MAX_VALUE, http.maxBufferSize().bytes()),
                CidrSet.parse(http.trustedProxies()),
                CidrSet.parse(http.trustedIdentityProxies()),
                orDefault(http.websocketIdleTimeout(), DEFAULT_WEBSOCKET_IDLE).toNanos(),
                http.websocketMaxMessageSize() == null
                        ? DEFAULT_WEBSOCKET_MAX_MESSAGE : (int) http.websocketMaxMessageSize().bytes());
    }

    private static Duration orDefault(Duration d, Duration def) {
        return d == null ? def : d;
    }
}
