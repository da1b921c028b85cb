package io.portcullis.observability;

import io.portcullis.policy.RequestContext;
import java.util.Map;

/**
 * What is known about the request in progress on one connection (or HTTP/2 stream), for its one metrics
 * update and access-log line. Reused from request to request and confined to the connection's event loop;
 * filling it allocates nothing. {@link #end} reports the request once and resets the record.
 */
public final class RequestRecord {
    private static final String LOCAL_REPLY = "local_reply";

    private final Observability observability;
    private boolean active;
    private long startNanos;
    private String method;
    private String path;
    private String route;
    private RequestContext context;
    private CharSequence traceparent;
    private String upstream;
    private long bytesIn;
    private long bytesOut;
    private int status;

    public RequestRecord(Observability observability) {
        this.observability = observability;
    }

    /** A request head arrived (or a request ended before one could be read: method and path null). */
    public void begin(String method, String path, String traceparent) {
        active = true;
        startNanos = System.nanoTime();
        this.method = method;
        this.path = path;
        this.traceparent = traceparent;
        route = "";
        context = null;
        upstream = null;
        bytesIn = 0;
        bytesOut = 0;
        status = 0;
    }

    public boolean active() {
        return active;
    }

    /** The request's path (without query: a query may carry a credential). */
    public void path(String requestPath) {
        this.path = requestPath;
    }

    /** The route that matched, and the policies' context (claims, JWT failure). */
    public void routed(String routeName, RequestContext rc) {
        this.route = routeName;
        this.context = rc;
    }

    /** The request goes to a backend with this {@code traceparent} (the client's, or a new one). */
    public void forwarded(CharSequence traceparent) {
        this.traceparent = traceparent;
    }

    /** The status of the response head the backend sent. */
    public void responseStatus(int code) {
        this.status = code;
    }

    public int responseStatus() {
        return status;
    }

    /** What the exchange with a backend moved: its authority, request and response body bytes. */
    public void upstream(String authority, long requestBytes, long responseBytes) {
        this.upstream = authority;
        this.bytesIn = requestBytes;
        this.bytesOut = responseBytes;
    }

    /** Ends the request: counts it and queues its access-log line. Does nothing when no request is active. */
    public void end(int statusCode, String reason, long responseBytes) {
        if (!active) {
            return;
        }
        active = false;
        if (reason == null) {
            reason = LOCAL_REPLY; // a policy reply without a label: still counted, under a generic one
        }
        if (responseBytes >= 0) {
            bytesOut = responseBytes;
        }
        long nanos = System.nanoTime() - startNanos;
        RouteMetrics metrics = observability.metrics().route(route);
        metrics.record(statusCode, reason, nanos);
        String jwtFailure = context == null ? null : context.authFailure();
        if (jwtFailure != null) {
            metrics.jwtFailure(jwtFailure);
        }
        if (Observability.RATE_LIMITED.equals(reason)) {
            metrics.rateLimited();
        }
        AccessLog log = observability.accessLog();
        if (log != null) {
            Map<String, Object> claims = context == null ? null : context.claims();
            log.offer(new AccessLog.Entry(System.currentTimeMillis(), route, method, path, statusCode, reason, nanos,
                    bytesIn, bytesOut, upstream, claim(claims, "sub"), claim(claims, "jti"), claim(claims, "iss"),
                    context == null ? null : context.boundHtm(), context == null ? null : context.boundHtu(),
                    traceparent == null ? null : traceparent.toString()));
        }
        context = null;
    }

    private static Object claim(Map<String, Object> claims, String name) {
        return claims == null ? null : claims.get(name);
    }
}
