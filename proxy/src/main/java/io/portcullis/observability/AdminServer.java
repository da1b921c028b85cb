package io.portcullis.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A small HTTP server beside the traffic ports: the readiness probe ({@code config.readinessAddr}) and the
 * admin endpoint ({@code config.adminAddr}). Served by the JDK's HTTP server on one daemon thread of its own,
 * never on an event loop, so a slow prober cannot stall traffic and a traffic spike cannot starve the probe.
 * Only GET (and HEAD); a path it does not know is 404.
 * <pre>
 * GET /ready          200 "ready" while serving, 503 "draining" after SIGTERM (also /healthz/ready)
 * GET /config_dump    the config being served, as JSON with secrets redacted (admin only)
 * </pre>
 */
public final class AdminServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** The readiness server: {@code /ready} and agentgateway's {@code /healthz/ready}. */
    public static AdminServer readiness(InetSocketAddress address, BooleanSupplier ready) throws IOException {
        HttpHandler probe = probe(ready);
        return start("readiness", address, Map.of("/ready", probe, "/healthz/ready", probe));
    }

    /** The admin server: {@code /ready} and {@code /config_dump}. */
    public static AdminServer admin(InetSocketAddress address, BooleanSupplier ready, Supplier<String> configDump)
            throws IOException {
        return start("admin", address, Map.of("/ready", probe(ready),
                "/config_dump", exchange -> send(exchange, 200, "application/json", configDump.get() + "\n")));
    }

    private static HttpHandler probe(BooleanSupplier ready) {
        return exchange -> {
            boolean ok = ready.getAsBoolean();
            send(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ready\n" : "draining\n");
        };
    }

    /**
     * Serves {@code routes} (exact paths, GET and HEAD only; anything else 404 or 405) on {@code address} with
     * one daemon thread named after {@code name}. Also the stats server's base ({@link StatsServer}).
     */
    static AdminServer start(String name, InetSocketAddress address, Map<String, HttpHandler> routes)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        for (Map.Entry<String, HttpHandler> route : routes.entrySet()) {
            String path = route.getKey();
            HttpHandler handler = route.getValue();
            // Contexts match by prefix; only the exact path is served.
            server.createContext(path, exchange -> {
                try (exchange) {
                    String method = exchange.getRequestMethod();
                    if (!exchange.getRequestURI().getPath().equals(path)) {
                        send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
                    } else if (!method.equals("GET") && !method.equals("HEAD")) {
                        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                    } else {
                        handler.handle(exchange);
                    }
                }
            });
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "portcullis-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        Log.info(name + " endpoint on " + describe(server.getAddress()));
        return new AdminServer(server, executor);
    }

    private static String describe(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code bytes} (only the headers for HEAD), never cached by the prober or scraper. */
    static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The address actually bound (useful with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
