package io.portcullis;

import io.portcullis.config.GatewayConfig;
import io.portcullis.config.HostPort;
import io.portcullis.routing.CompiledRoute;
import io.portcullis.routing.ListenerTable;
import io.portcullis.server.FrontendLimits;
import io.portcullis.tls.ServerTls;
import io.portcullis.upstream.UpstreamSettings;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A config compiled into runtime objects, ready to serve: one {@link Bind} per port, the upstream settings
 * and the process settings. {@code routes} indexes every compiled route by where it sits and what it was
 * compiled from, so the next reload can keep a route that did not change (with its rate-limit buckets, replay
 * cache, verified tokens and key fetches) instead of rebuilding it; {@code source} is the config it came from.
 */
public record CompiledGateway(
        List<Bind> binds, UpstreamSettings upstream, int workerThreads, long terminationDeadlineMillis,
        long minTerminationDeadlineMillis, SideAddress adminAddr, SideAddress readinessAddr, GatewayConfig source,
        Map<GatewayCompiler.RouteKey, CompiledRoute> routes, Observe observe) {

    /**
     * Where metrics are served ({@code statsAddr}: {@code host:port}, null when off), their name prefix, and
     * where access-log lines go ({@code stdout}, {@code stderr}, a file; null when off). Read at start only.
     */
    public record Observe(String statsAddr, String metricsPrefix, String accessLog) {}

    /**
     * A port and what it serves; {@code tls} is null for a plain HTTP bind. {@code key} identifies the socket
     * across reloads ({@code address:port}, with the rank among port-0 binds of that address).
     */
    public record Bind(String key, String address, int port, ListenerTable listeners, FrontendLimits limits,
                       ServerTls tls) {

        /** The external scheme of requests on this bind (X-Forwarded-Proto, the DPoP {@code htu}). */
        public String scheme() {
            return tls == null ? "http" : "https";
        }
    }

    /**
     * Where a side server (admin, readiness) listens; {@code explicit} is false for a default, which is
     * skipped with a warning when its port is taken, while an address from the file must be bound.
     */
    public record SideAddress(HostPort address, boolean explicit) {}

    /** Stops the background work of every route (when the gateway stops). */
    public void close() {
        for (CompiledRoute route : routes.values()) {
            route.close();
        }
    }

    /** Stops the background work of the routes that {@code next} did not keep. */
    public void closeReplacedBy(CompiledGateway next) {
        Set<CompiledRoute> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(next.routes.values());
        for (CompiledRoute route : routes.values()) {
            if (!kept.contains(route)) {
                route.close();
            }
        }
    }
}
