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
    private final UpstreamVersion version;
    private volatile long ejectedUntilNanos;
    /** Set once a TLS handshake of an HTTP/1.1 connection picked h2 by ALPN; a stale read costs one retry. */
    private volatile boolean alpnChoseHttp2;

    public Backend(String host, int port, int weight) {
        this(host, port, weight, null);
    }

    /** {@code tls}: how to speak TLS to this backend, or null for plain HTTP. */
    public Backend(String host, int port, int weight, UpstreamTls tls) {
        this(host, port, weight, tls, UpstreamVersion.AUTO);
    }

    public Backend(String host, int port, int weight, UpstreamTls tls, UpstreamVersion version) {
        this.host = host;
        this.port = port;
        this.weight = weight;
        this.tls = tls;
        this.version = version;
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

    public UpstreamVersion version() {
        return version;
    }

    /**
     * Whether a request goes over HTTP/2: when configured, for gRPC (HTTP/2 only) unless HTTP/1.1 is
     * configured, and after ALPN picked h2 on this backend.
     */
    public boolean usesHttp2(boolean grpc) {
        return version == UpstreamVersion.HTTP2
                || (version == UpstreamVersion.AUTO && (grpc || (tls != null && alpnChoseHttp2)));
    }

    void alpnChoseHttp2() {
        alpnChoseHttp2 = true;
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
