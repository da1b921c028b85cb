package io.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.ConfigLoader;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.Curl;
import io.portcullis.testing.FreePort;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hot reload in-process: the file watch (a rewrite, a ConfigMap-style {@code ..data} symlink swap), routes
 * added, a broken file refused, ports opened and closed, and what survives a reload (pooled backend
 * connections, an unchanged route's rate-limit bucket). The poll is off (an hour), so only directory events
 * can trigger these reloads.
 */
class ReloadIT {
    private static final long NO_POLL = 3_600_000;

    private Path dir;
    private TestBackend backend;
    private ProxyServer server;
    private ConfigReloader reloader;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("reload");
        backend = new TestBackend();
    }

    @AfterEach
    void tearDown() throws IOException {
        Closeables.closeAll(reloader, server, backend);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void start(Path file) throws Exception {
        ConfigReloader.Loaded loaded = ConfigReloader.load(file, Map.<String, String>of()::get);
        server = ProxyServer.start(GatewayCompiler.compile(loaded.config()));
        reloader = new ConfigReloader(file, server, loaded, Map.<String, String>of()::get, NO_POLL).start();
    }

    private static String direct(int port, String... pathsAndBodies) {
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < pathsAndBodies.length; i += 2) {
            routes.append("""
                        - name: r%d
                          matches: [{path: {exact: %s}}]
                          policies: {directResponse: {status: 200, body: "%s"}}
                    """.formatted(i, pathsAndBodies[i], pathsAndBodies[i + 1]));
        }
        return """
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                %s""".formatted(port, routes);
    }

    @Test
    void aRewrittenFileAddsARouteAndABrokenOneKeepsTheCurrentConfig() throws Exception {
        int port = FreePort.find();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, direct(port, "/a", "A1"));
        start(file);
        assertThat(get(port, "/b").status()).isEqualTo(404);

        Files.writeString(file, direct(port, "/a", "A2", "/b", "B"));
        awaitOrFail(() -> reloader.succeeded() == 1);
        assertThat(get(port, "/b").body()).isEqualTo("B");
        assertThat(get(port, "/a").body()).isEqualTo("A2");

        Files.writeString(file, direct(port, "/a", "A3").replace("routes:", "routez:"));
        awaitOrFail(() -> reloader.failed() == 1);
        assertThat(reloader.succeeded()).isEqualTo(1);
        assertThat(get(port, "/a").body()).isEqualTo("A2");
        assertThat(get(port, "/b").body()).isEqualTo("B");
        assertThat(reloader.configDump()).contains("\"A2\"").doesNotContain("A3");
    }

    /**
     * An edit that lands after the config was read but before the watch starts (the gateway binds its ports in
     * between) is still a change: the reloader compares with what was loaded, not with the file as it found it.
     */
    @Test
    void anEditWhileTheServerStartsIsReloaded() throws Exception {
        int port = FreePort.find();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, direct(port, "/a", "A1"));
        ConfigReloader.Loaded loaded = ConfigReloader.load(file, Map.<String, String>of()::get);
        server = ProxyServer.start(GatewayCompiler.compile(loaded.config()));
        Files.writeString(file, direct(port, "/a", "A2"));
        reloader = new ConfigReloader(file, server, loaded, Map.<String, String>of()::get, 100).start();
        awaitOrFail(() -> reloader.succeeded() == 1);
        assertThat(get(port, "/a").body()).isEqualTo("A2");
    }

    /**
     * The reloader reads at most one byte over the size limit and parses what it read: a file over the limit
     * is refused even when the part read is a valid config with fewer characters than the limit has bytes
     * (two-byte characters), instead of the cut-off file being served.
     */
    @Test
    void aFileOverTheSizeLimitIsRefusedOnReload() throws Exception {
        int port = FreePort.find();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, direct(port, "/a", "A1"));
        start(file);

        StringBuilder big = new StringBuilder(direct(port, "/a", "A2")).append("# ");
        int rest = ConfigLoader.MAX_CONFIG_BYTES + 1 - big.length();
        if (rest % 2 != 0) { // so that the read ends between two characters, not inside one
            big.append('x');
            rest--;
        }
        big.append("\u00e9".repeat(rest / 2 + 100)).append('\n');
        Path next = dir.resolve("next.yaml");
        Files.writeString(next, big, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        awaitOrFail(() -> reloader.failed() == 1);
        assertThat(reloader.succeeded()).isZero();
        assertThat(get(port, "/a").body()).isEqualTo("A1");
    }

    @Test
    void aConfigMapStyleSymlinkSwapTriggersAReload() throws Exception {
        int port = FreePort.find();
        // kubelet's layout: config.yaml -> ..data/config.yaml, ..data -> ..<timestamp>, swapped by rename.
        Files.createDirectory(dir.resolve("..2026_11_22_05_00_00.1"));
        Files.writeString(dir.resolve("..2026_11_22_05_00_00.1/config.yaml"), direct(port, "/v", "one"));
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_11_22_05_00_00.1"));
        Files.createSymbolicLink(dir.resolve("config.yaml"), Path.of("..data/config.yaml"));
        start(dir.resolve("config.yaml"));
        assertThat(get(port, "/v").body()).isEqualTo("one");

        Files.createDirectory(dir.resolve("..2026_11_22_05_01_00.2"));
        Files.writeString(dir.resolve("..2026_11_22_05_01_00.2/config.yaml"), direct(port, "/v", "two", "/new", "added"));
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..2026_11_22_05_01_00.2"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

        awaitOrFail(() -> reloader.succeeded() == 1);
        assertThat(get(port, "/v").body()).isEqualTo("two");
        assertThat(get(port, "/new").body()).isEqualTo("added");
        assertThat(reloader.failed()).isZero();
    }

    @Test
    void addedBindsOpenTheirPortsAndRemovedOnesCloseAfterTheirRequestsFinish() throws Exception {
        int first = FreePort.find();
        int second = FreePort.find();
        Path file = dir.resolve("config.yaml");
        String firstBind = """
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - backends: [{host: %s}]
                """.formatted(first, backend.hostPort());
        String secondBind = """
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - policies: {directResponse: {status: 200, body: second}}
                """.formatted(second);
        Files.writeString(file, firstBind);
        start(file);
        assertThat(refused(second)).isTrue();

        Files.writeString(file, firstBind + secondBind);
        awaitOrFail(() -> reloader.succeeded() == 1);
        assertThat(get(second, "/").body()).isEqualTo("second");
        assertThat(server.ports()).containsExactly(first, second);

        CompletableFuture<Curl.Result> slow = CompletableFuture.supplyAsync(() -> curl("-i", "http://127.0.0.1:" + first + "/slow?ms=1500"));
        awaitOrFail(() -> backend.requests() >= 1);
        Files.writeString(file, "binds:\n" + secondBind);
        awaitOrFail(() -> reloader.succeeded() == 2);
        assertThat(refused(first)).isTrue();
        Curl.Result inFlight = slow.get(20, TimeUnit.SECONDS);
        assertThat(inFlight.status()).isEqualTo(200);
        assertThat(inFlight.body()).containsIgnoringCase("connection: close").endsWith("slow\n");
        assertThat(get(second, "/").body()).isEqualTo("second");
    }

    @Test
    void aReloadKeepsPooledBackendConnectionsAndUnchangedRoutesKeepTheirState() throws Exception {
        int port = FreePort.find();
        Path file = dir.resolve("config.yaml");
        String config = """
                config:
                  workerThreads: 1
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: limited
                      matches: [{path: {exact: /limited}}]
                      policies:
                        localRateLimit: [{maxTokens: 2, tokensPerFill: 1, fillInterval: 1h}]
                        directResponse: {status: 200, body: ok}
                    - name: api
                      policies: {responseHeaderModifier: {set: {x-version: "%s"}}}
                      backends: [{host: %s}]
                """;
        Files.writeString(file, config.formatted(port, "1", backend.hostPort()));
        start(file);
        assertThat(get(port, "/json").status()).isEqualTo(200);
        assertThat(get(port, "/limited").status()).isEqualTo(200);
        assertThat(get(port, "/limited").status()).isEqualTo(200);
        assertThat(backend.connections()).isEqualTo(1);

        // The api route changes (so it is rebuilt), its backend does not; the limited route does not change.
        Files.writeString(file, config.formatted(port, "2", backend.hostPort()));
        awaitOrFail(() -> reloader.succeeded() == 1);
        Curl.Result after = curl("-i", "http://127.0.0.1:" + port + "/json");
        assertThat(after.body()).contains("x-version: 2");
        assertThat(backend.connections()).as("the idle backend connection was reused").isEqualTo(1);
        assertThat(get(port, "/limited").status()).as("the unchanged route kept its bucket").isEqualTo(429);
    }

    private static Curl.Result get(int port, String path) throws IOException, InterruptedException {
        return Curl.run("http://127.0.0.1:" + port + path);
    }

    private static Curl.Result curl(String... args) {
        try {
            return Curl.run(args);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static void awaitOrFail(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 15 s").isTrue();
    }
}
