package io.portcullis.policy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.testing.Curl;
import io.portcullis.testing.Python;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 002 section 4.3 with a JWKS URL: the endpoint starts serving a dual-key set, and a token signed with
 * the new kid is accepted without a restart (the unknown kid triggers a fetch the request waits for), while
 * traffic with the old key keeps flowing without a single failure.
 */
class JwksRotationIT {
    private static final Path SEED = Python.resources("seed");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private Path key(String name) throws Exception {
        Path priv = dir.resolve(name + ".pem");
        Python.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", priv.toString());
        Python.openssl("rsa", "-in", priv.toString(), "-pubout", "-out", dir.resolve(name + ".pub").toString());
        return priv;
    }

    private String jwks(String name, String kid) throws Exception {
        Path out = dir.resolve(name + ".jwks.json");
        Python.script(SEED.resolve("generate_jwks.py"), "--key", dir.resolve(name + ".pub").toString(), "--kid", kid, "--out", out.toString());
        return Files.readString(out);
    }

    private String token(Path privateKey, String kid) throws Exception {
        return Python.run(List.of(Python.PYTHON, "-c", String.join("\n",
                "import sys, time, jwt",
                "now = int(time.time())",
                "print(jwt.encode({'iss': 'rotating', 'aud': 'api', 'iat': now, 'exp': now + 600},",
                "    open(sys.argv[1]).read(), algorithm='RS256', headers={'kid': sys.argv[2]}))"),
                privateKey.toString(), kid)).trim();
    }

    /**
     * A key endpoint that answers {@code set} at {@code /jwks.json} after {@code delayMillis}: requests must
     * wait for it without blocking the event loop.
     */
    private static HttpServer slowKeyServer(String set, long delayMillis) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = set.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static int status(RunningGateway gw, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.url("/api"))).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void newKidIsAcceptedAfterTheUrlServesItWithNoRequestFailingMeanwhile() throws Exception {
        Path oldKey = key("old");
        Path newKey = key("new");
        String oldSet = jwks("old", "my-key-1");
        String newSet = jwks("new", "my-key-2");
        // The dual-key set of section 4.3: both keys' entries in one document.
        String dual = oldSet.substring(0, oldSet.lastIndexOf(']')) + ","
                + newSet.substring(newSet.indexOf('[') + 1);
        AtomicReference<String> served = new AtomicReference<>(oldSet);
        AtomicInteger fetches = new AtomicInteger();
        HttpServer jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.start();
        String url = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json";
        String yaml = "binds:\n- port: 0\n  listeners:\n  - routes:\n    - policies:\n        jwtAuth:\n"
                + "          mode: strict\n          issuer: rotating\n          audiences: [api]\n"
                + "          jwks:\n            url: " + url + "\n      backends:\n      - host: ";
        String oldToken = token(oldKey, "my-key-1");
        String newToken = token(newKey, "my-key-2");
        try (TestBackend backend = new TestBackend();
             RunningGateway gw = RunningGateway.start(yaml + backend.hostPort() + "\n", Map.of())) {
            // The first fetch runs in the background from load; a request that comes first waits for it.
            assertThat(status(gw, oldToken)).isEqualTo(200);
            assertThat(status(gw, newToken)).as("new kid before the endpoint serves it").isEqualTo(401);

            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger sent = new AtomicInteger();
            Thread traffic = new Thread(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (running.get() && System.nanoTime() < deadline) {
                    try {
                        int s = status(gw, oldToken);
                        sent.incrementAndGet();
                        if (s != 200) {
                            failures.add(s);
                        }
                    } catch (Exception e) {
                        failures.add(-1);
                    }
                }
            });
            traffic.start();
            try {
                Thread.sleep(300);
                served.set(dual);
                assertThat(status(gw, newToken)).as("new kid once the endpoint serves the dual-key set").isEqualTo(200);
                assertThat(status(gw, newToken)).isEqualTo(200);
                Thread.sleep(300);
            } finally {
                running.set(false);
                traffic.join(15_000);
            }
            assertThat(sent.get()).as("old-key requests during the switch").isGreaterThan(5);
            assertThat(failures).as("no old-key request failed during the switch").isEmpty();
            assertThat(fetches.get()).as("made-up or new kids fetch at most once per window").isLessThanOrEqualTo(4);
        } finally {
            jwksServer.stop(0);
        }
    }

    @Test
    void requestsWaitingForTheFirstFetchKeepTheirBodyAndOrder() throws Exception {
        Path signing = key("slow");
        String set = jwks("slow", "k1");
        HttpServer jwksServer = slowKeyServer(set, 1500);
        String url = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json";
        String token = token(signing, "k1");
        try (TestBackend backend = new TestBackend();
             RunningGateway gw = RunningGateway.start("binds:\n- port: 0\n  listeners:\n  - routes:\n"
                     + "    - matches: [{path: {exact: /echo}}]\n      policies:\n        jwtAuth:\n"
                     + "          mode: strict\n          issuer: rotating\n          jwks:\n            url: " + url + "\n"
                     + "      backends:\n      - host: " + backend.hostPort() + "\n"
                     + "    - matches: [{path: {exact: /open}}]\n      backends:\n      - host: " + backend.hostPort() + "\n",
                     Map.of())) {
            // Pipelined on one connection: a POST with a body that must wait for the key set, then a GET
            // that needs no token; both must be answered, in order, the body intact.
            String body = "{\"jsonrpc\":\"2.0\",\"method\":\"tools/list\",\"id\":1}";
            String requests = "POST /echo HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + "GET /open HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n";
            String answers;
            try (io.portcullis.testing.RawHttp raw = new io.portcullis.testing.RawHttp(gw.port())) {
                answers = raw.send(requests).readAll(10_000, 1 << 20);
            }
            int first = answers.indexOf("HTTP/1.1 200");
            int second = answers.indexOf("HTTP/1.1 200", first + 1);
            assertThat(first).as(answers).isGreaterThanOrEqualTo(0);
            assertThat(second).as("the pipelined request after the waiting one").isGreaterThan(first);
            assertThat(answers.substring(first, second)).contains(body);
        } finally {
            jwksServer.stop(0);
        }
    }

    @Test
    void anHttp2StreamWaitingForTheFirstFetchIsAnswered() throws Exception {
        Path signing = key("h2");
        String set = jwks("h2", "k1");
        HttpServer jwksServer = slowKeyServer(set, 1000);
        String url = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json";
        String token = token(signing, "k1");
        try (TestBackend backend = new TestBackend();
             RunningGateway gw = RunningGateway.start("binds:\n- port: 0\n  listeners:\n  - routes:\n"
                     + "    - policies:\n        jwtAuth:\n"
                     + "          mode: strict\n          issuer: rotating\n          jwks:\n            url: " + url + "\n"
                     + "      backends:\n      - host: " + backend.hostPort() + "\n", Map.of())) {
            // h2c with prior knowledge: the stream's request waits for the key set on a child channel.
            Curl.Result get = Curl.within(10, "--http2-prior-knowledge",
                    "-H", "Authorization: Bearer " + token, gw.url("/hello"));
            assertThat(get.status()).as(get.body()).isEqualTo(200);
            Curl.Result post = Curl.within(10, "--http2-prior-knowledge",
                    "-H", "Authorization: Bearer " + token, "--data-binary", "{\"id\":1}", gw.url("/echo"));
            assertThat(post.status()).as(post.body()).isEqualTo(200);
        } finally {
            jwksServer.stop(0);
        }
    }
}
