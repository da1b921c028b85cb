package io.portcullis.policy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.Closeables;
import io.portcullis.testing.Python;
import io.portcullis.testing.RawHttp;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 002 end to end, as its runbook does it: an openssl RSA key, the seed's generate_jwks.py, the seed's
 * DPoPClient minting tokens, and the seed's section 6 config.yaml (with the jwks path, the backend and the
 * port and the CA file pointed at this test, plus the Helm values' dpop settings) enforcing what section 7.2
 * says a gateway leaves to the application.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedDpopIT {
    private static final Path SEED = Python.resources("seed");
    @TempDir
    static Path dir;
    static TestBackend backend;
    static RunningGateway gateway;
    static Path privateKey;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        privateKey = dir.resolve("private.pem");
        Path publicKey = dir.resolve("public.pem");
        Path jwks = dir.resolve("jwks.json");
        Python.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privateKey.toString());
        Python.openssl("rsa", "-in", privateKey.toString(), "-pubout", "-out", publicKey.toString());
        Python.script(SEED.resolve("generate_jwks.py"), "--key", publicKey.toString(), "--kid", "my-key-1", "--out", jwks.toString());
        Path ca = dir.resolve("ca.crt"); // stands in for the service account's CA of the secrets route
        Python.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                dir.resolve("ca.key").toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=cluster-ca");
        backend = new TestBackend();
        String yaml = Files.readString(Python.resources("config/seed-002.yaml"))
                .replace("port: 8080", "port: 0")
                .replace("/etc/agentgateway/jwks.json", jwks.toString())
                .replace("my-mcp-server.default.svc.cluster.local:5000", backend.hostPort())
                .replace("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", ca.toString())
                .replace("          jwks:\n            file: " + jwks + "\n        localRateLimit:",
                        "          jwks:\n            file: " + jwks + "\n          dpop:\n            enforceHtuHtm: true\n"
                                + "            maxTokenAgeSeconds: 300\n        localRateLimit:");
        assertThat(yaml).contains("dpop:").contains("backendTLS").contains(backend.hostPort());
        gateway = RunningGateway.start(yaml, Map.of("BACKEND_TOKEN", "backend-t0ken"));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    private static List<String> mint(String method, String path, int count, int iatOffset, int ttl) throws Exception {
        String out = Python.script(SEED.resolve("mint.py"), privateKey.toString(), method, gateway.url(path),
                String.valueOf(count), String.valueOf(iatOffset), String.valueOf(ttl));
        return out.lines().toList();
    }

    private static String mint(String method, String path) throws Exception {
        return mint(method, path, 1, 0, 300).get(0);
    }

    private static HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url(path))).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("POST") ? "{}" : ""));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        HttpResponse<String> r = send("GET", "/healthz", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void noTokenIsRefused() throws Exception {
        int before = backend.requests();
        HttpResponse<String> r = send("POST", "/mcp", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("missing token");
        assertThat(r.headers().allValues("www-authenticate")).anyMatch(v -> v.startsWith("Bearer realm="));
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void tokenFromTheSeedClientReachesTheBackendWithoutTheCredential() throws Exception {
        HttpResponse<String> r = send("POST", "/mcp", mint("POST", "/mcp"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
        assertThat(backend.lastRequest().headers().contains("authorization")).isFalse();
    }

    @Test
    void tokenForAnotherMethodIsRefused() throws Exception {
        HttpResponse<String> r = send("POST", "/mcp", mint("GET", "/mcp"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("htm");
        assertThat(r.headers().firstValue("www-authenticate").orElse("")).contains("error=\"invalid_token\"");
    }

    @Test
    void tokenForAnotherUriIsRefused() throws Exception {
        HttpResponse<String> r = send("POST", "/mcp", mint("POST", "/mcp/other"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("htu");
    }

    @Test
    void tokenForPostMcpNeverOpensGetSecrets() throws Exception {
        // The secrets route has no dpop block: the htm/htu claims are still held to the request.
        HttpResponse<String> r = send("GET", "/secrets/db", mint("POST", "/mcp"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("htm");
    }

    @Test
    void replayedJtiIsRefused() throws Exception {
        String token = mint("POST", "/mcp");
        assertThat(send("POST", "/mcp", token).statusCode()).isEqualTo(200);
        HttpResponse<String> again = send("POST", "/mcp", token);
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("already used");
    }

    @Test
    void oldIatIsRefusedEvenBeforeExpiry() throws Exception {
        String old = mint("POST", "/mcp", 1, -400, 3600).get(0);
        HttpResponse<String> r = send("POST", "/mcp", old);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("too old");
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        String expired = mint("POST", "/mcp", 1, -400, 300).get(0);
        HttpResponse<String> r = send("POST", "/mcp", expired);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("expired");
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it empties the route's bucket the other tests' 200s come from
    void burstBeyondTheBucketIsRateLimited() throws Exception {
        // maxTokens 100, 10 more per second: 130 valid single-use tokens, pipelined on one connection so the
        // burst takes milliseconds, not the seconds a refill needs.
        List<String> tokens = mint("POST", "/mcp", 130, 0, 300);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            burst.append("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:").append(gateway.port())
                    .append("\r\nAuthorization: Bearer ").append(tokens.get(i))
                    .append("\r\nContent-Length: 2\r\n").append(i == tokens.size() - 1 ? "Connection: close\r\n" : "")
                    .append("\r\n{}");
        }
        long start = System.nanoTime();
        String answers;
        try (RawHttp raw = new RawHttp(gateway.port())) {
            answers = raw.send(burst.toString()).readAll(20_000, 8 << 20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int ok = count(answers, "HTTP/1.1 200 ");
        int limited = count(answers, "HTTP/1.1 429 ");
        assertThat(ok + limited).as("every request answered with 200 or 429").isEqualTo(130);
        assertThat(limited).as("429s within the burst").isPositive();
        String first429 = answers.substring(answers.indexOf("HTTP/1.1 429 "));
        String head = first429.substring(0, first429.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertThat(head).contains("x-ratelimit-limit: 100").contains("x-ratelimit-remaining: 0")
                .contains("x-ratelimit-reset: ").contains("retry-after: ");
        // Other tests of this class share the route's bucket; the refill bounds what can pass.
        assertThat(ok).isLessThanOrEqualTo(100 + 10 * ((int) Math.ceil(seconds) + 1));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
