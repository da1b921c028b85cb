package io.portcullis.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.testing.Curl;
import io.portcullis.testing.FreePort;
import io.portcullis.testing.GatewayProcess;
import io.portcullis.testing.JwtTools;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as operators run it (a child process): {@code /metrics} on the configured {@code statsAddr}
 * with the default prefix, the access log on stdout by default, and a stats address that cannot be bound
 * failing the start with a message naming {@code config.statsAddr}.
 */
@Timeout(120)
class StatsServerIT {
    @TempDir
    Path dir;

    @Test
    void metricsOnStatsAddrWithDefaultPrefixAndAccessLogOnStdout() throws Exception {
        int port = FreePort.find();
        int stats = FreePort.find();
        Path config = JwtTools.write(dir, "gw.yaml", """
                config:
                  workerThreads: 1
                  statsAddr: 127.0.0.1:%d
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: hello
                      policies:
                        directResponse: {status: 200, body: hi}
                """.formatted(stats, port));
        try (GatewayProcess gw = GatewayProcess.start(config, port)) {
            assertThat(Curl.run("http://127.0.0.1:" + port + "/hello?access_token=secret-in-query").status())
                    .isEqualTo(200);
            Curl.Result metrics = Curl.run("http://127.0.0.1:" + stats + "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(ObservabilityIT.samples(metrics.body()))
                    .containsEntry("portcullis_requests_total{reason=direct_response,route=hello,status=200}", 1.0)
                    .containsKey("jvm_memory_used_bytes{area=heap}");
            String line = null;
            for (int i = 0; i < 100 && line == null; i++) {
                Thread.sleep(50);
                line = gw.output().lines().filter(l -> l.startsWith("{")).findFirst().orElse(null);
            }
            assertThat(line).isNotNull();
            JsonNode entry = new ObjectMapper().readTree(line);
            assertThat(entry.get("route").asText()).isEqualTo("hello");
            assertThat(entry.get("path").asText()).isEqualTo("/hello");
            assertThat(entry.get("status").asInt()).isEqualTo(200);
            assertThat(gw.output()).doesNotContain("secret-in-query");
        }
    }

    @Test
    void configReloadsAndRefusedReloadsAreCounted() throws Exception {
        int port = FreePort.find();
        int stats = FreePort.find();
        String config = """
                config:
                  statsAddr: 127.0.0.1:%d
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: %s
                      policies:
                        directResponse: {status: 200}
                """;
        Path file = JwtTools.write(dir, "gw.yaml", config.formatted(stats, port, "first"));
        try (GatewayProcess gw = GatewayProcess.start(file, port)) {
            String url = "http://127.0.0.1:" + stats + "/metrics";
            JwtTools.write(dir, "gw.yaml", config.formatted(stats, port, "second"));
            assertThat(awaitSample(url, "portcullis_config_reloads_total", 1.0)).isEqualTo(1.0);
            JwtTools.write(dir, "gw.yaml", config.formatted(stats, port, "second") + "  unknownKey: 1\n");
            assertThat(awaitSample(url, "portcullis_config_reload_failures_total", 1.0)).isEqualTo(1.0);
            assertThat(awaitSample(url, "portcullis_config_reloads_total", 1.0)).isEqualTo(1.0);
        }
    }

    /** Polls (bounded: the file watch is asynchronous) until {@code name} reaches {@code value}; returns the last value. */
    private static double awaitSample(String url, String name, double value) throws Exception {
        double last = -1;
        for (int i = 0; i < 150 && last != value; i++) {
            last = ObservabilityIT.samples(Curl.run(url).body()).getOrDefault(name, -1.0);
            if (last != value) {
                Thread.sleep(100);
            }
        }
        return last;
    }

    @Test
    void statsAddrInUseFailsTheStartNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = FreePort.find();
            Path config = JwtTools.write(dir, "gw.yaml", """
                    config:
                      statsAddr: 127.0.0.1:%d
                    binds:
                    - port: %d
                      address: 127.0.0.1
                      listeners:
                      - routes:
                        - policies:
                            directResponse: {status: 200}
                    """.formatted(taken.getLocalPort(), port));
            GatewayProcess.Result r = GatewayProcess.run(Map.of(), "-f", config.toString());
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.output()).contains("cannot start: config.statsAddr 127.0.0.1:" + taken.getLocalPort()
                    + ": cannot listen");
        }
    }
}
