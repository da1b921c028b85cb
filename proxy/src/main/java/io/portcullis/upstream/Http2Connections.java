package io.portcullis.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP/2 connections of one event loop, one per backend (by {@link Backend#poolKey()}): HTTP/2 multiplexes,
 * so one connection carries all of this loop's requests to the backend. Confined to the loop's thread, like
 * {@link UpstreamPool}, so no locks.
 */
public final class Http2Connections {
    private static final FastThreadLocal<Http2Connections> CONNECTIONS = new FastThreadLocal<>() {
        @Override
        protected Http2Connections initialValue() {
            return new Http2Connections();
        }
    };

    private final Map<String, Http2Connection> byBackend = new HashMap<>();
    private UpstreamConnector connector;
    private EventLoop loop;

    private Http2Connections() {}

    /** The connections of the calling event loop thread. */
    public static Http2Connections current() {
        return CONNECTIONS.get();
    }

    /** Opens a stream to {@code backend} for {@code requester}, connecting first when there is no usable connection. */
    public void openStream(EventLoop loop, UpstreamConnector connector, Backend backend, Http2StreamRequester requester) {
        assert loop.inEventLoop();
        this.loop = loop;
        this.connector = connector;
        openStream(backend, requester);
    }

    void openStream(Backend backend, Http2StreamRequester requester) {
        Http2Connection connection = byBackend.get(backend.poolKey());
        if (connection != null && connection.acceptsStreams()) {
            connection.open(requester);
            return;
        }
        Http2Connection connecting = new Http2Connection(backend, this, connector.settings().idleTimeoutNanos());
        byBackend.put(backend.poolKey(), connecting);
        connecting.open(requester); // waits for the connection; told if the connect fails, even at once
        connector.connectHttp2(loop, backend, connecting).addListener(f -> {
            if (!f.isSuccess()) {
                connecting.connectFailed(f.cause());
            }
        });
    }

    void remove(Http2Connection connection) {
        byBackend.remove(connection.backend().poolKey(), connection);
    }

    /** Connections held (for tests). */
    public int size() {
        return byBackend.size();
    }
}
