package io.portcullis.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code frontendPolicies.http}: agentgateway's names where they exist ({@code maxBufferSize},
 * {@code http1MaxHeaders}, {@code http1IdleTimeout}, {@code maxConnectionDuration}), Portcullis extensions
 * for the rest of the hardening limits. {@code trustedIdentityProxies}: the CIDRs allowed to send
 * {@code X-Remote-User} / {@code X-Forwarded-User} (an authenticating proxy in front); from anyone else
 * those headers are removed. {@code websocketIdleTimeout} and {@code websocketMaxMessageSize} (extensions)
 * bound a WebSocket tunnel: it is closed after that long without a frame either way, and a message (or frame)
 * larger than that closes it with status 1009. All optional; defaults live in the compiled form.
 */
public record FrontendHttpConfig(
        ByteSize maxBufferSize,
        Integer http1MaxHeaders,
        Duration http1IdleTimeout,
        Duration maxConnectionDuration,
        ByteSize maxRequestLineSize,
        ByteSize maxHeaderSize,
        ByteSize maxRequestBodySize,
        Duration requestHeaderTimeout,
        Integer maxRequestsPerConnection,
        List<String> trustedProxies,
        List<String> trustedIdentityProxies,
        Duration websocketIdleTimeout,
        ByteSize websocketMaxMessageSize) {}
