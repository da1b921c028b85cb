package io.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.testing.Curl;
import io.portcullis.testing.FreePort;
import io.portcullis.testing.Python;
import io.portcullis.testing.RunningGateway;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backendTLS} against a real TLS server ({@code openssl s_server -www}, certificate for localhost and
 * 127.0.0.1 signed by a test CA made with openssl): verified by the configured root, refused (502) with
 * another root or another name, and the escape hatch {@code insecureHost}.
 */
class BackendTlsIT {
    @TempDir
    static Path dir;
    static Process server;
    static int port;

    private static void ca(String name) throws Exception {
        Python.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".pem").toString(), "-days", "2", "-subj", "/CN=" + name);
    }

    @BeforeAll
    static void start() throws Exception {
        ca("test-ca");
        ca("other-ca");
        Path ext = Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Python.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("server.key").toString(),
                "-out", dir.resolve("server.csr").toString(), "-subj", "/CN=localhost");
        Python.openssl("x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", dir.resolve("test-ca.pem").toString(),
                "-CAkey", dir.resolve("test-ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-out", dir.resolve("server.pem").toString(), "-extfile", ext.toString());
        port = FreePort.find();
        server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-www", "-quiet",
                "-cert", dir.resolve("server.pem").toString(), "-key", dir.resolve("server.key").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        awaitPort(port);
    }

    private static void awaitPort(int p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", p)) {
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("openssl s_server did not start", e);
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String config(String backendHost, String tls) {
        return "binds:\n- port: 0\n  listeners:\n  - routes:\n    - policies:\n        backendTLS:\n" + tls
                + "      backends:\n      - host: " + backendHost + "\n";
    }

    private static Curl.Result get(String yaml) throws Exception {
        try (RunningGateway gw = RunningGateway.start(yaml)) {
            return Curl.run("-sS", gw.url("/"));
        }
    }

    @Test
    void backendVerifiedByTheConfiguredRootIsReached() throws Exception {
        Curl.Result r = get(config("127.0.0.1:" + port, "          root: " + dir.resolve("test-ca.pem") + "\n"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("s_server");
    }

    @Test
    void backendNamedByDnsIsVerifiedByThatName() throws Exception {
        Curl.Result r = get(config("localhost:" + port, "          root: " + dir.resolve("test-ca.pem") + "\n"));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void certificateFromAnotherRootIsRefused() throws Exception {
        Curl.Result r = get(config("127.0.0.1:" + port, "          root: " + dir.resolve("other-ca.pem") + "\n"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("upstream certificate not trusted\n");
    }

    @Test
    void certificateForAnotherNameIsRefusedUnlessHostCheckIsOff() throws Exception {
        String root = "          root: " + dir.resolve("test-ca.pem") + "\n          hostname: api.example.com\n";
        Curl.Result wrongName = get(config("127.0.0.1:" + port, root));
        assertThat(wrongName.status()).isEqualTo(502);
        assertThat(wrongName.body()).isEqualTo("upstream certificate name mismatch\n");
        assertThat(get(config("127.0.0.1:" + port, root + "          insecureHost: true\n")).status()).isEqualTo(200);
    }

    @Test
    void httpsBackendUsesTheSystemTrustStoreWhichDoesNotKnowTheTestCa() throws Exception {
        String yaml = "binds:\n- port: 0\n  listeners:\n  - routes:\n    - backends:\n      - host: https://localhost:" + port + "\n";
        try (RunningGateway gw = RunningGateway.start(yaml)) {
            Curl.Result r = Curl.run("-sS", gw.url("/"));
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).isEqualTo("upstream certificate not trusted\n");
        }
    }

    @Test
    void upstreamMutualTlsPresentsTheConfiguredClientCertificate() throws Exception {
        // A second server that requires a client certificate signed by client-ca.
        ca("client-ca");
        Python.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("client.key").toString(),
                "-out", dir.resolve("client.csr").toString(), "-subj", "/CN=portcullis-client");
        Python.openssl("x509", "-req", "-in", dir.resolve("client.csr").toString(), "-CA", dir.resolve("client-ca.pem").toString(),
                "-CAkey", dir.resolve("client-ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-out", dir.resolve("client.pem").toString());
        int mtlsPort = FreePort.find();
        Process mtls = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + mtlsPort, "-www", "-quiet",
                "-cert", dir.resolve("server.pem").toString(), "-key", dir.resolve("server.key").toString(),
                "-Verify", "1", "-verify_return_error", "-CAfile", dir.resolve("client-ca.pem").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mtls.log").toFile()).start();
        try {
            awaitPort(mtlsPort);
            String root = "          root: " + dir.resolve("test-ca.pem") + "\n";
            Curl.Result withCert = get(config("127.0.0.1:" + mtlsPort, root + "          cert: " + dir.resolve("client.pem")
                    + "\n          key: " + dir.resolve("client.key") + "\n"));
            assertThat(withCert.status()).isEqualTo(200);
            assertThat(withCert.body()).contains("portcullis-client"); // s_server -www prints the peer certificate
            Curl.Result without = get(config("127.0.0.1:" + mtlsPort, root));
            assertThat(without.status()).isEqualTo(502);
        } finally {
            mtls.destroy();
            mtls.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void plainHttpToATlsPortFails() throws Exception {
        String yaml = "binds:\n- port: 0\n  listeners:\n  - routes:\n    - backends:\n      - host: 127.0.0.1:" + port + "\n";
        try (RunningGateway gw = RunningGateway.start(yaml)) {
            assertThat(Curl.run("-sS", gw.url("/")).status()).isEqualTo(502);
        }
    }

    @Test
    void unreadableRootFailsTheLoadWithItsPath() {
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(
                config("127.0.0.1:1", "          root: /nonexistent/ca.pem\n"), "t.yaml", Map.<String, String>of()::get),
                ConfigException.class);
        assertThat(e.errors()).containsExactly(
                "binds[0].listeners[0].routes[0].policies.backendTLS: cannot read /nonexistent/ca.pem: no such file at line 6");
    }
}
