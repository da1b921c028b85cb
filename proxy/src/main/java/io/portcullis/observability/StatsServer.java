package io.portcullis.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.config.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} (Prometheus text) on {@code config.statsAddr}, apart from the traffic ports and
 * off the event loops: the JDK's HTTP server with one daemon thread of its own, so a scrape never takes time
 * from request handling and a flood of traffic never delays a scrape.
 */
public final class StatsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private StatsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} ({@code host:port}) and starts serving. A port that cannot be bound fails with
     * an {@link IOException} that names {@code config.statsAddr} and the address.
     */
    public static StatsServer start(String address, Metrics metrics) throws IOException {
        HostPort hp = HostPort.parse(address);
        InetSocketAddress socket = new InetSocketAddress(hp.host(), hp.port());
        HttpServer server;
        try {
            server = HttpServer.create(socket, 64);
        } catch (BindException e) {
            throw new IOException("config.statsAddr " + address + ": cannot listen (" + e.getMessage()
                    + "); set another address, or `statsAddr: off`", e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "portcullis-stats");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, metrics));
        server.start();
        return new StatsServer(server, executor);
    }

    private static void handle(HttpExchange exchange, Metrics metrics) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.equals("/metrics")) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics\n".getBytes());
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes());
                return;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            metrics.scrape(body);
            send(exchange, 200, Metrics.contentType(), method.equals("HEAD") ? null : body.toByteArray());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
