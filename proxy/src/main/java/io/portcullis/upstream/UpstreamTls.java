package io.portcullis.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * TLS towards one backend ({@code backendTLS}): the client context built at load (trust roots, optional client
 * certificate, whether the name is verified), and the name sent as SNI and checked against the certificate.
 * {@link #id()} distinguishes pools, so a TLS and a plain route to the same host:port never share connections.
 */
public final class UpstreamTls {
    private final SslContext context;
    private final SslContext http2Context;
    private final String serverName;
    private final String id;

    /** {@code http2Context}: the same settings with ALPN offering {@code h2}, for HTTP/2 connections. */
    public UpstreamTls(SslContext context, SslContext http2Context, String serverName, String id) {
        this.context = context;
        this.http2Context = http2Context;
        this.serverName = serverName;
        this.id = id;
    }

    /**
     * A handler for a new connection to {@code port}: SNI and the name verified are {@code serverName}
     * (whether it is verified is part of the context).
     */
    SslHandler newHandler(ByteBufAllocator alloc, int port) {
        return context.newHandler(alloc, serverName, port);
    }

    /** A handler for a new HTTP/2 connection (ALPN offers h2). */
    SslHandler newHttp2Handler(ByteBufAllocator alloc, int port) {
        return http2Context.newHandler(alloc, serverName, port);
    }

    String id() {
        return id;
    }
}
