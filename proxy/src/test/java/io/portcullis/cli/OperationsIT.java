package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.Curl;
import io.portcullis.testing.FreePort;
import io.portcullis.testing.GatewayProcess;
import io.portcullis.testing.Python;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gateway as operators run it (a separate JVM): config reloads under load, SIGHUP, drain on SIGTERM with
 * the readiness probe, and the admin endpoint's redacted config dump.
 */
class OperationsIT {
    /** Only directory events and SIGHUP trigger reloads in these tests, not the slow poll. */
    private static final List<String> NO_POLL = List.of("-Dportcullis.config.pollMillis=3600000");
    private static final String RELOADED = "INFO config reloaded from";
    private static final String REFUSED = "is invalid, keeping the current config";

    /**
     * The config rewritten under load. Its access log is off: the test reads the log from stdout and stderr
     * merged into one pipe, where JSON access lines written by another thread could split a log line.
     */
    private static String loadConfig(int port, String backend, int version, boolean addedRoute, boolean broken) {
        String added = !addedRoute ? "" : """
                    - name: added
                      matches: [{path: {exact: /added}}]
                      policies: {directResponse: {status: 200, body: added}}
                """;
        // The added route goes first: api matches every path, and the first match wins.
        return """
                config:
                  adminAddr: "off"
                  readinessAddr: "off"
                  logging: {accessLog: "off"}
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                %s    - name: api
                      policies: {responseHeaderModifier: {set: {x-version: "%d"}}}
                      %s: [{host: %s}]
                """.formatted(port, added, version, broken ? "backendz" : "backends", backend);
    }

    @Test
    void twentyReloadsUnderLoadDropNoRequestAndABrokenFileIsReportedWithPathAndLine() throws Exception {
        try (TestBackend backend = new TestBackend()) {
            int port = FreePort.find();
            Path config = Files.createTempFile("reload", ".yaml");
            Files.writeString(config, loadConfig(port, backend.hostPort(), 0, false, false));
            try (GatewayProcess gateway = GatewayProcess.start(config, port, Map.of(), NO_POLL)) {
                CompletableFuture<String> wrk = CompletableFuture.supplyAsync(() -> run(List.of(
                        "wrk", "-t1", "-c4", "-d15s", "http://127.0.0.1:" + port + "/json")));
                awaitOrFail(() -> backend.requests() > 0);
                int requestsAtFirstReload = 0;
                for (int i = 1; i <= 20; i++) {
                    boolean broken = i == 7;
                    Files.writeString(config, loadConfig(port, backend.hostPort(), i, i >= 12, broken));
                    int outcomes = i;
                    awaitOrFail(() -> count(gateway.output(), RELOADED) + count(gateway.output(), REFUSED) == outcomes);
                    if (i == 1) {
                        requestsAtFirstReload = backend.requests();
                    }
                    if (broken) {
                        assertThat(gateway.output()).contains(REFUSED)
                                .containsPattern("binds\\[0\\]\\.listeners\\[0\\]\\.routes\\[0\\]\\.backendz: unknown key .* at line 12");
                        Curl.Result old = Curl.run("-i", "http://127.0.0.1:" + port + "/json");
                        assertThat(old.status()).isEqualTo(200);
                        assertThat(old.body()).contains("x-version: 6");
                    }
                    if (i == 12) {
                        assertThat(Curl.run("http://127.0.0.1:" + port + "/added").body()).isEqualTo("added");
                    }
                }
                assertThat(count(gateway.output(), RELOADED)).isEqualTo(19);
                assertThat(count(gateway.output(), REFUSED)).isEqualTo(1);
                assertThat(backend.requests()).as("the load ran during the reloads").isGreaterThan(requestsAtFirstReload);
                assertThat(Curl.run("-i", "http://127.0.0.1:" + port + "/json").body()).contains("x-version: 20");

                String report = wrk.get(60, TimeUnit.SECONDS);
                Matcher total = Pattern.compile("(\\d+) requests in").matcher(report);
                assertThat(total.find()).as(report).isTrue();
                assertThat(Long.parseLong(total.group(1))).isPositive();
                System.out.println("wrk during 20 reloads: " + total.group(0) + " (" + report.lines()
                        .filter(l -> l.contains("Requests/sec") || l.contains("Non-2xx") || l.contains("Socket errors"))
                        .map(String::trim).toList() + ")");
                assertThat(report).as("wrk saw no errors and only 2xx").doesNotContain("Socket errors").doesNotContain("Non-2xx");
            } finally {
                Files.deleteIfExists(config);
            }
        }
    }

    @Test
    void sighupReloadsAFileTheDirectoryWatchCannotSee() throws Exception {
        int port = FreePort.find();
        // config.yaml is a link into another directory: changes there raise no event where the link is.
        Path linkDir = Files.createTempDirectory("link");
        Path realDir = Files.createTempDirectory("real");
        Path real = realDir.resolve("real.yaml");
        String base = """
                config: {adminAddr: "off", readinessAddr: "off", logging: {accessLog: "off"}}
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - matches: [{path: {exact: /one}}]
                      policies: {directResponse: {status: 200, body: one}}
                """.formatted(port);
        Files.writeString(real, base);
        Path link = Files.createSymbolicLink(linkDir.resolve("config.yaml"), real);
        try (GatewayProcess gateway = GatewayProcess.start(link, port, Map.of(), NO_POLL)) {
            Files.writeString(real, base + """
                        - matches: [{path: {exact: /hup}}]
                          policies: {directResponse: {status: 200, body: hup}}
                    """);
            Thread.sleep(1000);
            assertThat(Curl.run("http://127.0.0.1:" + port + "/hup").status()).isEqualTo(404);

            gateway.signal("HUP");
            assertThat(gateway.awaitOutput(RELOADED, 1, 15_000)).as(gateway.output()).isTrue();
            assertThat(Curl.run("http://127.0.0.1:" + port + "/hup").body()).isEqualTo("hup");
            assertThat(Curl.run("http://127.0.0.1:" + port + "/one").body()).isEqualTo("one");
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(real);
            Files.deleteIfExists(linkDir);
            Files.deleteIfExists(realDir);
        }
    }

    @Test
    void sigtermDuringASlowDownloadFinishesItRefusesNewConnectionsAndExitsZeroBeforeTheDeadline() throws Exception {
        try (TestBackend backend = new TestBackend()) {
            int port = FreePort.find();
            int readiness = FreePort.find();
            long deadlineMillis = 20_000;
            Path config = Files.createTempFile("drain", ".yaml");
            Files.writeString(config, """
                    config:
                      connectionTerminationDeadline: 20s
                      readinessAddr: 127.0.0.1:%d
                      adminAddr: "off"
                      logging: {accessLog: "off"}
                    binds:
                    - port: %d
                      address: 127.0.0.1
                      listeners:
                      - routes:
                        - backends: [{host: %s}]
                    """.formatted(readiness, port, backend.hostPort()));
            String ready = "http://127.0.0.1:" + readiness + "/ready";
            try (GatewayProcess gateway = GatewayProcess.start(config, port)) {
                awaitOrFail(() -> !refused(readiness)); // side servers start after the traffic ports
                assertThat(Curl.run(ready).status()).isEqualTo(200);
                // 3 MB read at 500 KB/s: about six seconds on the wire, started before the signal.
                CompletableFuture<String> download = CompletableFuture.supplyAsync(() -> run(List.of(
                        "curl", "-sS", "--max-time", "40", "--limit-rate", "500k", "-o", "/dev/null",
                        "-w", "%{http_code} %{size_download}", "http://127.0.0.1:" + port + "/download?size=3000000")));
                awaitOrFail(() -> backend.requests() >= 1);

                gateway.terminate();
                awaitOrFail(() -> refused(port));
                assertThat(download.isDone()).as("the download was still running when new connections were refused").isFalse();
                Curl.Result probe = Curl.run(ready);
                assertThat(probe.status()).isEqualTo(503);
                assertThat(probe.body()).isEqualTo("draining\n");

                assertThat(download.get(40, TimeUnit.SECONDS)).isEqualTo("200 3000000");
                assertThat(gateway.waitFor(deadlineMillis)).as(gateway.output()).isZero();
            } finally {
                Files.deleteIfExists(config);
            }
        }
    }

    @Test
    void adminShowsTheConfigWithSecretsRedacted() throws Exception {
        int port = FreePort.find();
        int admin = FreePort.find();
        String jwtSecret = "jwt-secret-value-0123456789abcdefXYZ";
        String backendToken = "backend-token-value";
        String nonceSecret = "literal-nonce-secret-0123456789abcdef";
        Path config = Files.createTempFile("admin", ".yaml");
        Files.writeString(config, """
                config:
                  adminAddr: 127.0.0.1:%d
                  readinessAddr: "off"
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: api
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: me
                          audiences: [gw]
                          secret: ${JWT_SECRET}
                          dpop:
                            nonce: {secret: "%s", lifetime: 5m}
                        requestHeaderModifier: {set: {x-upstream: "Bearer ${BACKEND_TOKEN}", authorization: "Basic dXNlcjpwYXNz"}}
                      backends: [{host: 127.0.0.1:9}]
                """.formatted(admin, port, nonceSecret));
        Map<String, String> env = Map.of("JWT_SECRET", jwtSecret, "BACKEND_TOKEN", backendToken);
        try (GatewayProcess gateway = GatewayProcess.start(config, port, env, List.of())) {
            awaitOrFail(() -> !refused(admin)); // side servers start after the traffic ports
            Curl.Result dump = Curl.run("http://127.0.0.1:" + admin + "/config_dump");
            assertThat(dump.status()).isEqualTo(200);
            assertThat(dump.body())
                    .contains("\"issuer\":\"me\"", "\"x-upstream\":\"Bearer ${BACKEND_TOKEN}\"", "\"authorization\":\"<redacted>\"",
                            "\"secret\":\"<redacted>\"", "\"lifetime\":\"5m\"", "\"port\":" + port)
                    .doesNotContain(jwtSecret, backendToken, nonceSecret, "dXNlcjpwYXNz");
            assertThat(Curl.run("http://127.0.0.1:" + admin + "/ready").body()).isEqualTo("ready\n");
            assertThat(Curl.run("http://127.0.0.1:" + admin + "/nope").status()).isEqualTo(404);
            assertThat(gateway.output()).doesNotContain(jwtSecret, backendToken, nonceSecret);
        } finally {
            Files.deleteIfExists(config);
        }
    }

    private static String run(List<String> command) {
        try {
            return Python.run(command);
        } catch (IOException | InterruptedException e) {
            return "error " + e;
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private interface Check {
        boolean test() throws Exception;
    }

    private static void awaitOrFail(Check condition) throws Exception {
        for (int i = 0; i < 300 && !condition.test(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.test()).as("condition reached within 15 s").isTrue();
    }
}
