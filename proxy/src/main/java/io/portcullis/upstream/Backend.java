package io.portcullis.upstream;

import java.net.InetSocketAddress;

/**
 * One backend target ({@code host:port}) of a route, with its weight and passive health. Shared by all event
 * loops: the only mutable field is {@link #ejectedUntilNanos}, a timestamp written after a connect failure
 * and read on selection; a stale read only means one more or one fewer attempt, so it needs no lock.
 */
public final class Backend {
    /** How long a backend that refused a connection is skipped by selection. */
    public static final long EJECTION_NANOS = 5_000_000_000L;

    private final String host;
    private final int port;
    private final int weight;
    private final String authority;
    private final InetSocketAddress address;
    private final UpstreamTls tls;
    private final String poolKey;
    private volatile long ejectedUntilNanos;

    public Backend(String host, int port, int weight) {
        this(host, port, weight, null);
    }

    /** {@code tls}: how to speak TLS to this backend, or null for plain HTTP. */
    public Backend(String host, int port, int weight, UpstreamTls tls) {
        this.host = host;
        this.port = port;
        this.weight = weight;
        this.tls = tls;
        this.authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        this.poolKey = tls == null ? authority : "tls:" + tls.id() + "@" + authority;
        // Unresolved: the channel's asynchronous resolver looks names up at connect time, off the event loop's
        // critical path (IP literals are parsed, never looked up).
        this.address = InetSocketAddress.createUnresolved(host, port);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int weight() {
        return weight;
    }

    /** {@code host:port}, the default Host header sent upstream and the pool key's label. */
    public String authority() {
        return authority;
    }

    /** TLS settings, or null for plain HTTP. */
    public UpstreamTls tls() {
        return tls;
    }

    /** What idle connections are pooled under: the target, and the TLS settings when there are any. */
    public String poolKey() {
        return poolKey;
    }

    public InetSocketAddress address() {
        return address;
    }

    public boolean isHealthy(long nowNanos) {
        long until = ejectedUntilNanos;
        return until == 0 || nowNanos - until >= 0;
    }

    /** Like {@link #isHealthy(long)}, reading the clock only when the backend was ejected at some point. */
    public boolean isHealthyNow() {
        return ejectedUntilNanos == 0 || isHealthy(System.nanoTime());
    }

    public void eject(long nowNanos) {
        ejectedUntilNanos = nowNanos + EJECTION_NANOS;
    }

    public void markHealthy() {
        if (ejectedUntilNanos != 0) {
            ejectedUntilNanos = 0;
        }
    }

    @Override
    public String toString() {
        return authority;
    }
}
