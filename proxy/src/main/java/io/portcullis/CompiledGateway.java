package io.portcullis;

import io.portcullis.routing.ListenerTable;
import io.portcullis.server.FrontendLimits;
import io.portcullis.tls.ServerTls;
import io.portcullis.upstream.UpstreamSettings;
import java.util.List;

/**
 * A config compiled into runtime objects, ready to serve: one {@link Bind} per port, the upstream settings
 * and the process settings.
 */
public record CompiledGateway(
        List<Bind> binds, UpstreamSettings upstream, int workerThreads, long terminationDeadlineMillis,
        Observe observe) {

    /**
     * Where metrics are served ({@code statsAddr}: {@code host:port}, null when off), their name prefix, and
     * where access-log lines go ({@code stdout}, {@code stderr}, a file; null when off).
     */
    public record Observe(String statsAddr, String metricsPrefix, String accessLog) {}

    /** A port and what it serves; {@code tls} is null for a plain HTTP bind. */
    public record Bind(String address, int port, ListenerTable listeners, FrontendLimits limits, ServerTls tls) {

        /** The external scheme of requests on this bind (X-Forwarded-Proto, the DPoP {@code htu}). */
        public String scheme() {
            return tls == null ? "http" : "https";
        }
    }
}
