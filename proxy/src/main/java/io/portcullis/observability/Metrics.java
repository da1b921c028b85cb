package io.portcullis.observability;

import io.portcullis.ReloadListener;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's metrics, named as in seed 002 section 9.2 under a configurable prefix (default
 * {@code portcullis}; {@code agentgateway} gives that runbook's names). One instance per process (it
 * outlives config reloads), with its own registry, so in-process test gateways never share counts.
 *
 * <p>Recording never allocates: labelled data points are resolved once per route, per (status, reason)
 * and per backend ({@link RouteMetrics}, {@link BackendMetrics}) and kept; the event loops then only
 * increment striped adders. Scraping ({@link #scrape}) runs on the stats server's own thread.
 */
public final class Metrics implements ReloadListener {
    /** The {@code reason} label of a response relayed from a backend. */
    public static final String UPSTREAM = "upstream";

    private final String prefix;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter requests;
    final Histogram duration;
    final Counter jwtFailures;
    final Counter rateLimited;
    private final Gauge activeConnections;
    private final Histogram connectDuration;
    private final Gauge poolIdle;
    private final CounterDataPoint reloads;
    private final CounterDataPoint reloadFailures;
    private final CounterDataPoint accessLogDropped;
    private final ConcurrentHashMap<String, RouteMetrics> routes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BackendMetrics> backends = new ConcurrentHashMap<>();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public Metrics(String prefix) {
        this.prefix = prefix;
        requests = Counter.builder().name(name("requests_total"))
                .help("Requests answered, by route, status and reason (upstream = relayed from a backend)")
                .labelNames("route", "status", "reason").withoutExemplars().register(registry);
        duration = Histogram.builder().name(name("request_duration_seconds"))
                .help("Time from the request head to the end of the response")
                .labelNames("route", "status").classicOnly().withoutExemplars().register(registry);
        jwtFailures = Counter.builder().name(name("jwt_auth_failure_total"))
                .help("Requests whose token jwtAuth refused (or, in permissive mode, ignored), by reason")
                .labelNames("route", "reason").withoutExemplars().register(registry);
        rateLimited = Counter.builder().name(name("rate_limit_triggered_total"))
                .help("Requests refused with 429 by localRateLimit")
                .labelNames("route").withoutExemplars().register(registry);
        activeConnections = Gauge.builder().name(name("active_connections"))
                .help("Open connections to a backend (in use or pooled)")
                .labelNames("backend").withoutExemplars().register(registry);
        connectDuration = Histogram.builder().name(name("upstream_connect_duration_seconds"))
                .help("Time to open a TCP connection to a backend")
                .labelNames("backend").classicOnly()
                .classicUpperBounds(.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10)
                .withoutExemplars().register(registry);
        poolIdle = Gauge.builder().name(name("upstream_pool_idle_connections"))
                .help("Idle keep-alive connections pooled for a backend")
                .labelNames("backend").withoutExemplars().register(registry);
        reloads = Counter.builder().name(name("config_reloads_total"))
                .help("Config reloads applied").withoutExemplars().register(registry).labelValues();
        reloadFailures = Counter.builder().name(name("config_reload_failures_total"))
                .help("Config reloads refused (the previous config kept serving)")
                .withoutExemplars().register(registry).labelValues();
        accessLogDropped = Counter.builder().name(name("access_log_dropped_total"))
                .help("Access log lines dropped because the log sink could not keep up")
                .withoutExemplars().register(registry).labelValues();
        JvmMemoryMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
    }

    private String name(String suffix) {
        return prefix + "_" + suffix;
    }

    public String prefix() {
        return prefix;
    }

    /** The pre-resolved data points of route {@code name} ({@code ""} for a request no route matched). */
    public RouteMetrics route(String name) {
        RouteMetrics m = routes.get(name);
        return m != null ? m : routes.computeIfAbsent(name, n -> new RouteMetrics(this, n));
    }

    /** The pre-resolved data points of a backend, by its authority ({@code host:port}). */
    public BackendMetrics backend(String authority) {
        BackendMetrics m = backends.get(authority);
        return m != null ? m : backends.computeIfAbsent(authority, a -> new BackendMetrics(
                activeConnections.labelValues(a), connectDuration.labelValues(a), poolIdle.labelValues(a)));
    }

    /** A new config was parsed, validated and swapped in. */
    @Override
    public void reloadSucceeded() {
        reloads.inc();
    }

    /** A new config was refused; the old one keeps serving. */
    @Override
    public void reloadFailed() {
        reloadFailures.inc();
    }

    void accessLogDropped() {
        accessLogDropped.inc();
    }

    /** Writes every metric in the Prometheus text format (version 0.0.4). */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Data points of one backend; shared by every event loop (the points are thread-safe adders). */
    public record BackendMetrics(GaugeDataPoint activeConnections, DistributionDataPoint connectDuration,
                                 GaugeDataPoint poolIdle) {}
}
