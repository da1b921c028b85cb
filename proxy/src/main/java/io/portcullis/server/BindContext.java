package io.portcullis.server;

import io.portcullis.observability.Observability;
import io.portcullis.routing.ListenerTable;
import io.portcullis.tls.ServerTls;
import io.portcullis.upstream.UpstreamConnector;

/**
 * What every connection of one bind shares: its listeners and routes, limits, the upstream connector and
 * the drain flag. Immutable apart from {@link #draining}, which the stopping thread sets and event loops read.
 */
public final class BindContext {
    private final int port;
    private final String scheme;
    private final ListenerTable listeners;
    private final FrontendLimits limits;
    private final ServerTls tls;
    private final UpstreamConnector connector;
    private final Observability observability;
    private volatile boolean draining;

    /** {@code tls} is null for a plain HTTP bind. */
    public BindContext(int port, String scheme, ListenerTable listeners, FrontendLimits limits, ServerTls tls,
                       UpstreamConnector connector, Observability observability) {
        this.port = port;
        this.scheme = scheme;
        this.listeners = listeners;
        this.limits = limits;
        this.tls = tls;
        this.connector = connector;
        this.observability = observability;
    }

    public int port() {
        return port;
    }

    public String scheme() {
        return scheme;
    }

    public ListenerTable listeners() {
        return listeners;
    }

    public FrontendLimits limits() {
        return limits;
    }

    /** The certificates of an HTTPS bind, or null. */
    public ServerTls tls() {
        return tls;
    }

    public UpstreamConnector connector() {
        return connector;
    }

    /** Metrics and access log, shared by every bind. */
    public Observability observability() {
        return observability;
    }

    public boolean draining() {
        return draining;
    }

    /** From now on responses carry {@code Connection: close} and idle connections are closed. */
    public void startDraining() {
        draining = true;
    }
}
