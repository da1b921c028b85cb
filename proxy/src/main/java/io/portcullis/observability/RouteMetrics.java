package io.portcullis.observability;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The data points of one route, resolved on first use and kept: relayed responses by status (an array
 * indexed by the code), local replies by reason (the reason fixes the status), JWT refusals by reason.
 * A lookup is an array read or a {@code ConcurrentHashMap.get} with a constant key whose hash is cached,
 * so recording allocates nothing once a combination has been seen.
 */
public final class RouteMetrics {
    private static final int MAX_STATUS = 1000;
    private static final String[] STATUS_LABELS = new String[MAX_STATUS];

    static {
        for (int i = 0; i < MAX_STATUS; i++) {
            STATUS_LABELS[i] = Integer.toString(i);
        }
    }

    private final Metrics metrics;
    private final String route;
    private final AtomicReferenceArray<Outcome> relayed = new AtomicReferenceArray<>(MAX_STATUS);
    private final ConcurrentHashMap<String, Outcome> local = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CounterDataPoint> jwtFailures = new ConcurrentHashMap<>();
    private final CounterDataPoint rateLimited;

    RouteMetrics(Metrics metrics, String route) {
        this.metrics = metrics;
        this.route = route;
        this.rateLimited = metrics.rateLimited.labelValues(route);
    }

    /** The requests counter and duration histogram of one (status, reason). */
    public record Outcome(int status, String reason, CounterDataPoint requests, DistributionDataPoint duration) {}

    public String route() {
        return route;
    }

    /** Counts one request that ended with {@code status} for {@code reason}, taking {@code nanos}. */
    public void record(int status, String reason, long nanos) {
        Outcome o = outcome(status, reason);
        o.requests.inc();
        o.duration.observe(nanos / 1e9);
    }

    Outcome outcome(int status, String reason) {
        int code = status < 0 || status >= MAX_STATUS ? 0 : status;
        if (Metrics.UPSTREAM.equals(reason)) {
            Outcome o = relayed.get(code);
            if (o == null) {
                o = resolve(code, reason);
                relayed.set(code, o);
            }
            return o;
        }
        Outcome o = local.get(reason);
        if (o == null) {
            Outcome created = resolve(code, reason);
            o = local.putIfAbsent(reason, created);
            return o == null ? created : o;
        }
        // A reason that came with another status than the first time (not done by the gateway's own replies).
        return o.status == code ? o : resolve(code, reason);
    }

    private Outcome resolve(int code, String reason) {
        String status = STATUS_LABELS[code];
        return new Outcome(code, reason, metrics.requests.labelValues(route, status, reason),
                metrics.duration.labelValues(route, status));
    }

    /** Counts a token {@code jwtAuth} refused for {@code reason} (an {@code AuthFailure} label). */
    public void jwtFailure(String reason) {
        CounterDataPoint p = jwtFailures.get(reason);
        if (p == null) {
            p = jwtFailures.computeIfAbsent(reason, r -> metrics.jwtFailures.labelValues(route, r));
        }
        p.inc();
    }

    public void rateLimited() {
        rateLimited.inc();
    }
}
