package io.portcullis.server;

import io.portcullis.observability.Observability;
import io.portcullis.routing.ListenerTable;
import io.portcullis.tls.ServerTls;
import io.portcullis.upstream.UpstreamConnector;

/**
 * What every connection of one bind (one listening socket) shares: its listeners and routes, its per-connection
 * {@link Settings}, and the drain flag. It lives as long as the socket, across config reloads: a reload
 * replaces the routes and settings with two volatile writes, never the socket.
 *
 * <p>Reads are cheap and consistent: a connection reads {@link #settings()} once when it is accepted and keeps
 * them for its life (limits, TLS, upstream connector match the pipeline built for it); each request reads
 * {@link #listeners()} once at its head, so a keep-alive connection serves its next request with the routes
 * of the latest config while a request already routed finishes on the route it got.
 */
public final class BindContext {
    /** Per-connection settings: the external scheme, limits, certificates (null for plain HTTP) and the upstream connector. */
    public record Settings(String scheme, FrontendLimits limits, ServerTls tls, UpstreamConnector connector) {}

    private final int port;
    private volatile ListenerTable listeners;
    private volatile Settings settings;
    private volatile boolean draining;
    private final Observability observability;

    /** {@code observability} is the process's (metrics, access log): it stays across reloads. */
    public BindContext(int port, ListenerTable listeners, Settings settings, Observability observability) {
        this.port = port;
        this.listeners = listeners;
        this.settings = settings;
        this.observability = observability;
    }

    /** Metrics and access log, shared by every bind. */
    public Observability observability() {
        return observability;
    }

    public int port() {
        return port;
    }

    /** The listeners and routes of the current config (one volatile read, once per request). */
    public ListenerTable listeners() {
        return listeners;
    }

    /** The settings for a connection accepted now. */
    public Settings settings() {
        return settings;
    }

    /**
     * Switches to a reloaded config: new connections get {@code settings}, new requests route with
     * {@code listeners}. Two independent writes: a request in between may pair old and new, each of them a
     * complete, valid config.
     */
    public void update(ListenerTable listeners, Settings settings) {
        this.settings = settings;
        this.listeners = listeners;
    }

    public boolean draining() {
        return draining;
    }

    /** From now on responses carry {@code Connection: close} and idle connections are closed. */
    public void startDraining() {
        draining = true;
    }
}
