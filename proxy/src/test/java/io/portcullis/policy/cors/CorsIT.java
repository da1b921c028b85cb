package io.portcullis.policy.cors;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.server.ErrorStatusIT.Response;
import io.portcullis.server.ErrorStatusIT.Wire;
import io.portcullis.testing.Curl;
import io.portcullis.testing.RunningGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cors} through a real gateway socket, against a backend that sets CORS headers of its own
 * ({@code Access-Control-Allow-Origin: *}, credentials, an exposed header), as a permissive framework would.
 * Responses are read raw, so a header sent twice shows as {@code "a, b"}.
 */
@Timeout(30)
class CorsIT {
    private static final String APP = "https://app.example.com";

    static CorsBackend backend;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = new CorsBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: cors
                      matches:
                      - path: {pathPrefix: /cors}
                      policies:
                        cors:
                          allowCredentials: true
                          allowOrigins: ["%2$s", "https://*.partner.test"]
                          allowMethods: [GET, POST, PUT]
                          allowHeaders: [Content-Type, X-Api-Key]
                          exposeHeaders: [X-Request-Id]
                          maxAge: 10m
                      backends:
                      - host: %1$s
                    - name: cors-local
                      matches:
                      - path: {pathPrefix: /local}
                      policies:
                        cors:
                          allowOrigins: ["%2$s"]
                        directResponse: {status: 418, body: "from a later policy"}
                    - name: plain
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort(), APP));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    static Response send(String request) throws IOException {
        try (Wire wire = new Wire(gateway.port())) {
            return wire.send(request).read();
        }
    }

    @Test
    void preflightFromAllowedOriginIsAnsweredByTheGatewayWithoutReachingTheBackend() throws Exception {
        int before = backend.requests();
        Response r = send("OPTIONS /cors/items HTTP/1.1\r\nHost: gw.test\r\nOrigin: " + APP + "\r\n"
                + "Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: content-type, x-api-key\r\n\r\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("access-control-allow-origin")).isEqualTo(APP);
        assertThat(r.header("access-control-allow-methods")).isEqualTo("GET,POST,PUT");
        assertThat(r.header("access-control-allow-headers")).isEqualTo("content-type,x-api-key");
        assertThat(r.header("access-control-max-age")).isEqualTo("600");
        assertThat(r.header("access-control-allow-credentials")).isEqualTo("true");
        assertThat(r.header("vary")).isEqualTo("Origin");
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void preflightFromOtherOriginGetsNoCorsHeadersAndDoesNotReachTheBackend() throws Exception {
        int before = backend.requests();
        Response r = send("OPTIONS /cors/items HTTP/1.1\r\nHost: gw.test\r\nOrigin: https://evil.test\r\n"
                + "Access-Control-Request-Method: PUT\r\n\r\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void getFromAllowedOriginHasTheGatewaysAllowOriginInsteadOfTheBackendsStar() throws Exception {
        Response r = send("GET /cors/items HTTP/1.1\r\nHost: gw.test\r\nOrigin: https://eu.partner.test\r\n\r\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(CorsBackend.BODY);
        assertThat(r.header("access-control-allow-origin")).isEqualTo("https://eu.partner.test");
        assertThat(r.header("access-control-allow-credentials")).isEqualTo("true");
        assertThat(r.header("access-control-expose-headers")).isEqualTo("x-request-id");
        assertThat(r.header("access-control-allow-methods")).as("the backend's, removed").isNull();
        assertThat(r.header("vary")).isEqualTo("Accept-Encoding, Origin");
    }

    @Test
    void backendCorsHeadersAreRemovedOnACorsRouteForOtherOriginsAndWithoutOrigin() throws Exception {
        Response other = send("GET /cors/items HTTP/1.1\r\nHost: gw.test\r\nOrigin: https://evil.test\r\n\r\n");
        Response none = send("GET /cors/items HTTP/1.1\r\nHost: gw.test\r\n\r\n");

        for (Response r : new Response[] {other, none}) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(CorsBackend.BODY);
            assertThat(r.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));
            assertThat(r.header("vary")).isEqualTo("Accept-Encoding, Origin");
        }
    }

    @Test
    void backendCorsHeadersAreKeptOnARouteWithoutCors() throws Exception {
        Response r = send("GET /plain HTTP/1.1\r\nHost: gw.test\r\nOrigin: https://evil.test\r\n\r\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("access-control-allow-origin")).isEqualTo("*");
        assertThat(r.header("access-control-allow-methods")).isEqualTo("GET, POST, PUT, DELETE");
        assertThat(r.header("vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void aLocalReplyOfALaterPolicyCarriesCorsHeadersSoThePageCanReadIt() throws Exception {
        Response r = send("GET /local HTTP/1.1\r\nHost: gw.test\r\nOrigin: " + APP + "\r\n\r\n");

        assertThat(r.status()).isEqualTo(418);
        assertThat(r.body()).isEqualTo("from a later policy");
        assertThat(r.header("access-control-allow-origin")).isEqualTo(APP);
        assertThat(r.header("access-control-allow-credentials")).isNull();
    }

    @Test
    void curlPreflightThenRequestOnOneConnection() throws Exception {
        // The second transfer reuses the first one's connection (no new connect): a locally answered preflight
        // leaves the connection usable for the request it was asking about.
        Curl.Result r = Curl.within(5, "-D", "-", "-H", "Origin: " + APP, "-H", "Access-Control-Request-Method: GET",
                "-X", "OPTIONS", gateway.url("/cors/a"),
                "--next", "-sS", "-o", "-", "-D", "-", "-H", "Origin: " + APP,
                "-w", "\nconnects=%{num_connects}\n%{http_code}", gateway.url("/cors/b"));

        assertThat(r.status()).isEqualTo(200);
        String[] transfers = r.body().toLowerCase().split("\n200(?=http/)", 2);
        assertThat(transfers).hasSize(2);
        assertThat(transfers[0]).contains("access-control-max-age: 600", "access-control-allow-origin: " + APP);
        assertThat(transfers[1])
                .contains("access-control-allow-origin: " + APP, CorsBackend.BODY, "connects=0")
                .doesNotContain("access-control-allow-origin: *");
        assertThat(r.stderr()).isEmpty();
    }

    /**
     * A backend on 127.0.0.1 that answers everything with 200, a short body and permissive CORS headers of its
     * own. The JDK's server is enough here: the gateway only has to relay (or not) what it sends.
     */
    static final class CorsBackend implements AutoCloseable {
        static final String BODY = "{\"ok\":true}\n";

        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();

        CorsBackend() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
                exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
                exchange.getResponseHeaders().add("Access-Control-Expose-Headers", "x-internal-secret");
                exchange.getResponseHeaders().add("Vary", "Accept-Encoding");
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String hostPort() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
