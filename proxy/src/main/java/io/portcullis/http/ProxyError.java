package io.portcullis.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every way a request can end without a backend answer, mapped in one place to its status, the short
 * text/plain reason sent to the client, the {@code reason} label of metrics and access log, and whether
 * the connection must be closed afterwards. Reasons never echo anything from the request.
 */
public enum ProxyError {
    ROUTE_NOT_FOUND(HttpResponseStatus.NOT_FOUND, "no route matched", "route_not_found", false),
    MALFORMED_REQUEST(HttpResponseStatus.BAD_REQUEST, "malformed request", "malformed_request", true),
    REQUEST_HEAD_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "request head not received in time", "request_timeout", true),
    BODY_TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large", "body_too_large", true),
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long", "uri_too_long", true),
    HEADERS_TOO_LARGE(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large", "headers_too_large", true),
    UNSUPPORTED_EXPECTATION(HttpResponseStatus.EXPECTATION_FAILED, "unsupported expectation", "expectation_failed", true),
    FORBIDDEN(HttpResponseStatus.FORBIDDEN, "forbidden", "authorization_denied", false),
    RATE_LIMITED(HttpResponseStatus.TOO_MANY_REQUESTS, "rate limit exceeded", "rate_limited", false),
    UPSTREAM_CONNECT_FAILED(HttpResponseStatus.BAD_GATEWAY, "upstream connect failed", "upstream_connect_failed", false),
    UPSTREAM_CERT_UNTRUSTED(HttpResponseStatus.BAD_GATEWAY, "upstream certificate not trusted", "upstream_cert_untrusted", false),
    UPSTREAM_CERT_NAME_MISMATCH(
            HttpResponseStatus.BAD_GATEWAY, "upstream certificate name mismatch", "upstream_cert_name_mismatch", false),
    UPSTREAM_TLS_FAILED(HttpResponseStatus.BAD_GATEWAY, "upstream TLS handshake failed", "upstream_tls_failed", false),
    UPSTREAM_RESET(HttpResponseStatus.BAD_GATEWAY, "upstream closed the connection", "upstream_reset", false),
    UPSTREAM_MALFORMED(HttpResponseStatus.BAD_GATEWAY, "upstream sent a malformed response", "upstream_malformed", false),
    NO_HEALTHY_BACKEND(HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy backend", "no_healthy_backend", false),
    UPSTREAM_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream timed out", "upstream_timeout", false),
    REQUEST_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "request timed out", "request_timeout_total", false),
    SHUTTING_DOWN(HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down", "shutting_down", true);

    private final HttpResponseStatus status;
    private final String body;
    private final String reason;
    private final boolean closeConnection;

    ProxyError(HttpResponseStatus status, String body, String reason, boolean closeConnection) {
        this.status = status;
        this.body = body;
        this.reason = reason;
        this.closeConnection = closeConnection;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The text/plain body, without trailing newline. */
    public String body() {
        return body;
    }

    /** Metric / access-log label. */
    public String reason() {
        return reason;
    }

    /** True when the request stream can no longer be trusted (framing errors, limits), so the connection ends. */
    public boolean closeConnection() {
        return closeConnection;
    }
}
