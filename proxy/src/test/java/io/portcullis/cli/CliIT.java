package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.FreePort;
import io.portcullis.testing.GatewayProcess;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code portcullis} command as a process: exit codes, messages with path and line, SIGTERM. */
class CliIT {
    static final Path REPO = Path.of(System.getProperty("portcullis.repo", "..")).toAbsolutePath().normalize();
    static final Path INVALID = REPO.resolve("proxy/src/test/resources/config/invalid");

    static Stream<String> acceptanceFixtures() {
        return Stream.of("unknown-key", "bad-duration", "unset-env", "duplicate-port", "bad-regex", "route-without-backend");
    }

    @ParameterizedTest
    @MethodSource("acceptanceFixtures")
    void validateOnlyRejectsBrokenFilesWithPathAndLine(String name) throws Exception {
        GatewayProcess.Result r = GatewayProcess.run(Map.of(), "-f", INVALID.resolve(name + ".yaml").toString(), "--validate-only");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("invalid config").containsPattern("line \\d+");
        if (!name.equals("unset-env")) {
            assertThat(r.output()).containsPattern("(binds|frontendPolicies|config)[\\w\\[\\].]*");
        }
    }

    @Test
    void everyInvalidFixtureFailsValidation() throws Exception {
        try (Stream<Path> files = Files.list(INVALID)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                GatewayProcess.Result r = GatewayProcess.run(Map.of(), "-f", f.toString(), "--validate-only");
                assertThat(r.exitCode()).as(f.getFileName().toString()).isEqualTo(Cli.EXIT_CONFIG);
            }
        }
    }

    @Test
    void validateOnlyAcceptsEveryExampleConfig() throws Exception {
        try (Stream<Path> files = Files.list(REPO.resolve("config"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                GatewayProcess.Result r = GatewayProcess.run(Map.of(), "-f", f.toString(), "--validate-only");
                assertThat(r.exitCode()).as(f + ": " + r.output()).isZero();
            }
        }
    }

    @Test
    void seedConfigIsRefusedOnlyForItsAbsentFiles() throws Exception {
        Path seed = REPO.resolve("proxy/src/test/resources/config/seed-002.yaml");
        GatewayProcess.Result r = GatewayProcess.run(Map.of("BACKEND_TOKEN", "t0ken-value"), "-f", seed.toString(), "--validate-only");
        assertThat(r.exitCode()).isEqualTo(Cli.EXIT_CONFIG);
        List<String> errors = r.output().lines().filter(l -> l.startsWith("  ")).toList();
        assertThat(errors).hasSize(3).allMatch(l -> l.contains("cannot read"));
        assertThat(r.output()).contains("jwks.json", "ca.crt").doesNotContain("t0ken-value");
    }

    @Test
    void badArgumentsExitWithUsage() throws Exception {
        GatewayProcess.Result r = GatewayProcess.run(Map.of(), "--frobnicate");
        assertThat(r.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(r.output()).contains("usage: portcullis");
    }

    @Test
    void sigtermFinishesInFlightRequestsRefusesNewOnesAndExitsZero() throws Exception {
        try (TestBackend backend = new TestBackend()) {
            int port = FreePort.find();
            Path config = Files.createTempFile("drain", ".yaml");
            Files.writeString(config, """
                    config:
                      connectionTerminationDeadline: 10s
                    binds:
                    - port: %d
                      address: 127.0.0.1
                      listeners:
                      - routes:
                        - backends:
                          - host: %s
                    """.formatted(port, backend.hostPort()));
            try (GatewayProcess gateway = GatewayProcess.start(config, port)) {
                CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> curl(port, "/slow?ms=2000"));
                waitUntil(() -> backend.requests() >= 1);
                gateway.terminate();
                assertThat(slow.get(20, TimeUnit.SECONDS)).startsWith("slow").endsWith("\n200");
                assertThat(gateway.waitFor(15_000)).isZero();
                assertThat(refused(port)).isTrue();
            }
        }
    }

    private static String curl(int port, String path) {
        try {
            Process p = new ProcessBuilder("curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}", "-o", "-",
                    "http://127.0.0.1:" + port + path).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return "error " + e;
        }
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
    }
}
