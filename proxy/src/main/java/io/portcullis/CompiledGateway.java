package io.portcullis;

import io.portcullis.routing.ListenerTable;
import io.portcullis.server.FrontendLimits;
import io.portcullis.upstream.UpstreamSettings;
import java.util.List;

/**
 * A config compiled into runtime objects, ready to serve: one {@link Bind} per port, the upstream settings
 * and the process settings.
 */
public record CompiledGateway(
        List<Bind> binds, UpstreamSettings upstream, int workerThreads, long terminationDeadlineMillis) {

    /** A port and what it serves. */
    public record Bind(String address, int port, ListenerTable listeners, FrontendLimits limits) {}
}
