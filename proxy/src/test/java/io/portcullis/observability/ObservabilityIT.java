package io.portcullis.observability;

import static io.portcullis.testing.JwtTools.jwk;
import static io.portcullis.testing.JwtTools.map;
import static io.portcullis.testing.JwtTools.now;
import static io.portcullis.testing.JwtTools.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.Curl;
import io.portcullis.testing.FreePort;
import io.portcullis.testing.JwtTools;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics, access log and trace context end to end: curl drives 200, 401 (no token, a token bound to
 * another method), 429 and 502 responses through a gateway with the runbook's {@code agentgateway} prefix;
 * then curl reads {@code /metrics} from the stats port and every count matches what was sent, and every
 * access-log line is JSON with the request's fields and without the token.
 */
@Timeout(120)
class ObservabilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    static Path dir;
    static TestBackend backend;
    static RunningGateway gateway;
    static Path accessLog;
    static String token;
    static String wrongMethodToken;
    static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        Path key = JwtTools.rsa(dir, "issuer", 2048);
        String jwks = JwtTools.jwks(List.of(jwk(key, "k1", "RS256")));
        backend = new TestBackend();
        deadPort = FreePort.find(); // nothing listens there: 502 upstream_connect_failed
        accessLog = dir.resolve("access.log");
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                  statsAddr: 127.0.0.1:0
                  metrics: {prefix: agentgateway}
                  logging: {accessLog: %s}
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: api
                      matches: [{path: {pathPrefix: /api}}]
                      policies:
                        jwtAuth: {mode: strict, issuer: it-issuer, audiences: [it], jwks: '%s'}
                        localRateLimit: [{maxTokens: 3, tokensPerFill: 1, fillInterval: 1h}]
                      backends: [{host: %s}]
                    - name: down
                      matches: [{path: {pathPrefix: /down}}]
                      backends: [{host: 127.0.0.1:%d}]
                    - name: open
                      backends: [{host: %s}]
                """.formatted(accessLog, jwks, backend.hostPort(), deadPort, backend.hostPort()));
        long now = now();
        List<String> tokens = JwtTools.mintAll(List.of(
                spec("RS256", key, map("kid", "k1"), map("iss", "it-issuer", "aud", "it", "sub", "alice",
                        "jti", "jti-alice-1", "iat", now, "exp", now + 600)),
                spec("RS256", key, map("kid", "k1"), map("iss", "it-issuer", "aud", "it", "sub", "mallory",
                        "jti", "jti-mallory-1", "iat", now, "exp", now + 600, "htm", "DELETE",
                        "htu", gateway.url("/api/json")))));
        token = tokens.get(0);
        wrongMethodToken = tokens.get(1);
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    @Test
    void metricsCountWhatWasSentAndAccessLogLinesAreJsonWithoutTokens() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // 3 pass the bucket of 3, then 2 are refused
            statuses.add(get("/api/json", "-H", "Authorization: Bearer " + token));
        }
        statuses.add(get("/api/json"));                                                      // no token
        statuses.add(get("/api/json", "-H", "Authorization: Bearer " + wrongMethodToken));   // htm DELETE
        statuses.add(get("/down/x")); // once: a second try would meet the ejected backend (503)
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429, 401, 401, 502);

        Curl.Result scrape = Curl.run("-i", "http://127.0.0.1:" + gateway.statsPort() + "/metrics");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).containsIgnoringCase("Content-Type: text/plain; version=0.0.4");
        Map<String, Double> m = samples(scrape.body());

        assertThat(m).containsEntry("agentgateway_requests_total{reason=upstream,route=api,status=200}", 3.0)
                .containsEntry("agentgateway_requests_total{reason=rate_limited,route=api,status=429}", 2.0)
                .containsEntry("agentgateway_requests_total{reason=jwt_missing_token,route=api,status=401}", 1.0)
                .containsEntry("agentgateway_requests_total{reason=jwt_htm_mismatch,route=api,status=401}", 1.0)
                .containsEntry("agentgateway_requests_total{reason=upstream_connect_failed,route=down,status=502}", 1.0)
                .containsEntry("agentgateway_request_duration_seconds_count{route=api,status=200}", 3.0)
                .containsEntry("agentgateway_request_duration_seconds_count{route=api,status=429}", 2.0)
                .containsEntry("agentgateway_request_duration_seconds_count{route=api,status=401}", 2.0)
                .containsEntry("agentgateway_request_duration_seconds_count{route=down,status=502}", 1.0)
                .containsEntry("agentgateway_request_duration_seconds_bucket{le=+Inf,route=api,status=200}", 3.0)
                .containsEntry("agentgateway_jwt_auth_failure_total{reason=missing_token,route=api}", 1.0)
                .containsEntry("agentgateway_jwt_auth_failure_total{reason=htm_mismatch,route=api}", 1.0)
                .containsEntry("agentgateway_rate_limit_triggered_total{route=api}", 2.0)
                .containsEntry("agentgateway_access_log_dropped_total", 0.0)
                .containsKeys("agentgateway_config_reloads_total", "agentgateway_config_reload_failures_total");
        // One event loop, sequential requests: the one upstream connection is reused and now idles in the pool.
        String b = "backend=" + backend.hostPort();
        assertThat(m).containsEntry("agentgateway_active_connections{" + b + "}", 1.0)
                .containsEntry("agentgateway_upstream_pool_idle_connections{" + b + "}", 1.0)
                .containsEntry("agentgateway_upstream_connect_duration_seconds_count{" + b + "}", 1.0);
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{area=heap"));
        assertThat(m.keySet()).noneMatch(k -> k.startsWith("portcullis_"));

        List<JsonNode> lines = accessLogLines(8);
        assertThat(lines).extracting(l -> l.get("status").asInt()).containsExactly(200, 200, 200, 429, 429, 401, 401, 502);
        JsonNode ok = lines.get(0);
        assertThat(ok.get("route").asText()).isEqualTo("api");
        assertThat(ok.get("method").asText()).isEqualTo("GET");
        assertThat(ok.get("path").asText()).isEqualTo("/api/json");
        assertThat(ok.get("reason").asText()).isEqualTo("upstream");
        assertThat(ok.get("upstream").asText()).isEqualTo(backend.hostPort());
        assertThat(ok.get("bytes_out").asLong()).isEqualTo(TestBackend.JSON.length());
        assertThat(ok.get("bytes_in").asLong()).isZero();
        assertThat(ok.get("duration_ms").asDouble()).isPositive();
        assertThat(ok.get("jwt.sub").asText()).isEqualTo("alice");
        assertThat(ok.get("jwt.jti").asText()).isEqualTo("jti-alice-1");
        assertThat(ok.get("jwt.iss").asText()).isEqualTo("it-issuer");
        assertThat(ok.get("trace_id").asText()).matches("[0-9a-f]{32}");
        assertThat(ok.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode limited = lines.get(3);
        assertThat(limited.get("reason").asText()).isEqualTo("rate_limited");
        assertThat(limited.has("upstream")).isFalse();
        JsonNode missing = lines.get(5);
        assertThat(missing.get("reason").asText()).isEqualTo("jwt_missing_token");
        assertThat(missing.has("jwt.sub")).isFalse();
        JsonNode bound = lines.get(6);
        assertThat(bound.get("reason").asText()).isEqualTo("jwt_htm_mismatch");
        assertThat(bound.get("dpop.htm").asText()).isEqualTo("DELETE");
        assertThat(bound.get("dpop.htu").asText()).isEqualTo(gateway.url("/api/json"));
        assertThat(bound.has("jwt.sub")).isFalse(); // claims of a refused token are not an identity
        JsonNode down = lines.get(7);
        assertThat(down.get("route").asText()).isEqualTo("down");
        assertThat(down.get("reason").asText()).isEqualTo("upstream_connect_failed");
        assertThat(down.get("upstream").asText()).isEqualTo("127.0.0.1:" + deadPort);

        String raw = Files.readString(accessLog);
        assertThat(raw).doesNotContain(token).doesNotContain(wrongMethodToken).doesNotContainIgnoringCase("bearer");
        for (String part : token.split("\\.")) {
            assertThat(raw).doesNotContain(part);
        }
    }

    @Test
    void reloadCountersAreExposed() throws Exception {
        Map<String, Double> before = samples(Curl.run("http://127.0.0.1:" + gateway.statsPort() + "/metrics").body());
        Metrics metrics = gateway.server().metrics();
        metrics.reloadSucceeded();
        metrics.reloadSucceeded();
        metrics.reloadFailed();
        Map<String, Double> m = samples(Curl.run("http://127.0.0.1:" + gateway.statsPort() + "/metrics").body());
        assertThat(m.get("agentgateway_config_reloads_total") - before.get("agentgateway_config_reloads_total"))
                .isEqualTo(2.0);
        assertThat(m.get("agentgateway_config_reload_failures_total")
                - before.get("agentgateway_config_reload_failures_total")).isEqualTo(1.0);
        metricsIsTheOnlyPath();
    }

    private static void metricsIsTheOnlyPath() throws Exception {
        assertThat(Curl.run("http://127.0.0.1:" + gateway.statsPort() + "/").status()).isEqualTo(404);
        assertThat(Curl.run("-X", "POST", "http://127.0.0.1:" + gateway.statsPort() + "/metrics").status())
                .isEqualTo(405);
    }

    @Test
    void traceparentIsCreatedWhenAbsentAndPassedWhenValid() throws Exception {
        assertThat(get("/open/json")).isEqualTo(200);
        String created = backend.lastRequest().headers().get("traceparent");
        assertThat(created).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00").doesNotContain("0000000000000000-");

        String valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(get("/open/json", "-H", "traceparent: " + valid, "-H", "tracestate: vendor=1")).isEqualTo(200);
        assertThat(backend.lastRequest().headers().get("traceparent")).isEqualTo(valid);
        assertThat(backend.lastRequest().headers().get("tracestate")).isEqualTo("vendor=1");

        assertThat(get("/open/json", "-H", "traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "-H", "tracestate: vendor=1")).isEqualTo(200);
        String replaced = backend.lastRequest().headers().get("traceparent");
        assertThat(replaced).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00").isNotEqualTo(created);
        assertThat(backend.lastRequest().headers().get("tracestate")).isNull();
    }

    @Test
    void aClientThatLeavesBeforeTheResponseIsCountedAs499ClientClosed() throws Exception {
        String key = "agentgateway_requests_total{reason=client_closed,route=open,status=499}";
        double before = scrape().getOrDefault(key, 0.0);
        assertThat(Curl.within(1, gateway.url("/slow?ms=3000")).status()).isZero(); // curl gave up
        double after = before;
        for (int i = 0; i < 100 && after == before; i++) {
            Thread.sleep(50);
            after = scrape().getOrDefault(key, 0.0);
        }
        assertThat(after - before).isEqualTo(1.0);
    }

    private static Map<String, Double> scrape() throws Exception {
        return samples(Curl.run("http://127.0.0.1:" + gateway.statsPort() + "/metrics").body());
    }

    private static int get(String path, String... curlArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of(curlArgs));
        args.add(gateway.url(path));
        return Curl.run(args.toArray(new String[0])).status();
    }

    /**
     * Waits (bounded: the writer thread is asynchronous by design) for {@code count} lines of the routes
     * api and down (the trace test, which may run first, uses route open).
     */
    private static List<JsonNode> accessLogLines(int count) throws Exception {
        List<JsonNode> parsed = new ArrayList<>();
        for (int i = 0; i < 100 && parsed.size() < count; i++) {
            Thread.sleep(50);
            parsed.clear();
            for (String line : Files.exists(accessLog) ? Files.readAllLines(accessLog) : List.<String>of()) {
                JsonNode node = JSON.readTree(line);
                if (!node.get("route").asText().equals("open")) {
                    parsed.add(node);
                }
            }
        }
        return parsed;
    }

    /** Prometheus text samples as {@code name{k=v,...}} (labels sorted, unquoted) → value. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher s = SAMPLE.matcher(line.strip());
            if (line.startsWith("#") || !s.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (s.group(3) != null) {
                Matcher l = LABEL.matcher(s.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            StringBuilder key = new StringBuilder(s.group(1));
            if (!labels.isEmpty()) {
                key.append('{');
                labels.forEach((k, v) -> key.append(k).append('=').append(v).append(','));
                key.setCharAt(key.length() - 1, '}');
            }
            out.put(key.toString(), Double.parseDouble(s.group(4)));
        }
        return out;
    }
}
