package io.portcullis.observability;

/**
 * What the data path reports to: the process's {@link Metrics} and, when enabled, the {@link AccessLog}.
 * Shared by every event loop; both are safe for concurrent use.
 */
public final class Observability {
    /** The reason label of a 429 from {@code localRateLimit} ({@code ProxyError.RATE_LIMITED}). */
    static final String RATE_LIMITED = "rate_limited";

    private final Metrics metrics;
    private final AccessLog accessLog;

    /** {@code accessLog} null: access logging off. */
    public Observability(Metrics metrics, AccessLog accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The access log, or null when it is off. */
    public AccessLog accessLog() {
        return accessLog;
    }
}
