package io.portcullis.observability;

import io.portcullis.config.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Serves {@code GET /metrics} (Prometheus text) on {@code config.statsAddr}, apart from the traffic ports and
 * off the event loops: the same small JDK HTTP server as the admin endpoint ({@link AdminServer}), one daemon
 * thread of its own, so a scrape never takes time from request handling and a flood of traffic never delays
 * a scrape.
 */
public final class StatsServer implements AutoCloseable {
    private final AdminServer server;

    private StatsServer(AdminServer server) {
        this.server = server;
    }

    /**
     * Binds {@code address} ({@code host:port}) and starts serving. A port that cannot be bound fails with
     * an {@link IOException} that names {@code config.statsAddr} and the address.
     */
    public static StatsServer start(String address, Metrics metrics) throws IOException {
        HostPort hp = HostPort.parse(address);
        InetSocketAddress socket = new InetSocketAddress(hp.host(), hp.port());
        try {
            return new StatsServer(AdminServer.start("stats", socket, Map.of("/metrics", exchange -> {
                ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
                metrics.scrape(body);
                AdminServer.send(exchange, 200, Metrics.contentType(), body.toByteArray());
            })));
        } catch (BindException e) {
            throw new IOException("config.statsAddr " + address + ": cannot listen (" + e.getMessage()
                    + "); set another address, or `statsAddr: off`", e);
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.address().getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
