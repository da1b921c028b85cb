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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backendTLS} against a real TLS server ({@code openssl s_server -www}, certificate for localhost and
 * 127.0.0.1 signed by a test CA made with openssl): verified by the configured root, refused (502) with
 * another root or another name, and the escape hatch {@code insecureHost}; {@code subjectAltNames} (DNS, IP and
 * SPIFFE URI names checked instead of the host name, the chain still verified) and {@code alpn} (offered: a
 * server that only speaks h2 refuses the handshake).
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

    /** An {@code openssl s_server -www} with {@code name.pem} / {@code name.key}; stopped by the caller. */
    private static Process server(String name, int serverPort, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_server",
                "-accept", "127.0.0.1:" + serverPort, "-www", "-quiet",
                "-cert", dir.resolve(name + ".pem").toString(), "-key", dir.resolve(name + ".key").toString()));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + "-" + serverPort + ".log").toFile()).start();
        awaitPort(serverPort);
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    @Test
    void subjectAltNamesAreCheckedInsteadOfTheHostnameAndTheChainStillCounts() throws Exception {
        Path ext = Files.writeString(dir.resolve("svc.ext"),
                "subjectAltName=DNS:api.internal.test,URI:spiffe://td.test/ns/default/sa/api\n");
        Python.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("svc.key").toString(),
                "-out", dir.resolve("svc.csr").toString(), "-subj", "/CN=svc");
        Python.openssl("x509", "-req", "-in", dir.resolve("svc.csr").toString(), "-CA", dir.resolve("test-ca.pem").toString(),
                "-CAkey", dir.resolve("test-ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-out", dir.resolve("svc.pem").toString(), "-extfile", ext.toString());
        int svcPort = FreePort.find();
        Process svc = server("svc", svcPort);
        try {
            String backend = "127.0.0.1:" + svcPort;
            String root = "          root: " + dir.resolve("test-ca.pem") + "\n";
            assertThat(get(config(backend, root)).body()).isEqualTo("upstream certificate name mismatch\n");
            assertThat(get(config(backend, root + "          subjectAltNames: [other.test, api.internal.test]\n"))
                    .status()).isEqualTo(200);
            assertThat(get(config(backend, root + "          subjectAltNames: [\"spiffe://td.test/ns/default/sa/api\"]\n"))
                    .status()).isEqualTo(200);
            Curl.Result wrong = get(config(backend,
                    root + "          subjectAltNames: [\"spiffe://td.test/ns/default/sa/other\", internal.test]\n"));
            assertThat(wrong.status()).isEqualTo(502);
            assertThat(wrong.body()).isEqualTo("upstream certificate name mismatch\n");
            Curl.Result untrusted = get(config(backend, "          root: " + dir.resolve("other-ca.pem")
                    + "\n          subjectAltNames: [api.internal.test]\n"));
            assertThat(untrusted.body()).isEqualTo("upstream certificate not trusted\n");
        } finally {
            stop(svc);
        }
        // An IP address SAN (the first server's certificate has IP:127.0.0.1), whatever hostname is sent as SNI.
        assertThat(get(config("127.0.0.1:" + port, "          root: " + dir.resolve("test-ca.pem")
                + "\n          hostname: api.example.com\n          subjectAltNames: [\"127.0.0.1\"]\n")).status())
                .isEqualTo(200);
    }

    @Test
    void alpnOffersTheConfiguredProtocols() throws Exception {
        String root = "          root: " + dir.resolve("test-ca.pem") + "\n";
        assertThat(get(config("127.0.0.1:" + port, root + "          alpn: [http/1.1]\n")).status()).isEqualTo(200);
        // s_server -www without -alpn picks nothing: HTTP/1.1 goes on.
        assertThat(get(config("127.0.0.1:" + port, root + "          alpn: [h2, http/1.1]\n")).status()).isEqualTo(200);
        int h2Port = FreePort.find();
        Process h2Only = server("server", h2Port, "-alpn", "h2"); // refuses a client that offers only http/1.1
        try {
            Curl.Result refused = get(config("127.0.0.1:" + h2Port, root + "          alpn: [http/1.1]\n"));
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.body()).isEqualTo("upstream TLS handshake failed\n");
            assertThat(get(config("127.0.0.1:" + h2Port, root)).status()).as("no ALPN offered").isEqualTo(200);
        } finally {
            stop(h2Only);
        }
    }

    @Test
    void alpnAndSubjectAltNamesAreValidatedAtLoad() {
        assertThat(errors("          alpn: [h2, spdy/3]\n")).containsExactly(
                "binds[0].listeners[0].routes[0].policies.backendTLS.alpn[1]: \"spdy/3\" (expected: h2 or http/1.1) at line 7");
        assertThat(errors("          subjectAltNames: [\"not a name\"]\n")).containsExactly(
                "binds[0].listeners[0].routes[0].policies.backendTLS.subjectAltNames[0]: \"not a name\" (expected: a DNS "
                        + "name, an IP address or a URI such as spiffe://trust.domain/ns/app/sa/name) at line 7");
        assertThat(errors("          subjectAltNames: []\n")).containsExactly(
                "binds[0].listeners[0].routes[0].policies.backendTLS.subjectAltNames: empty (expected: at least one name "
                        + "the certificate must carry) at line 7");
        assertThat(errors("          insecureHost: true\n          subjectAltNames: [a.test]\n")).containsExactly(
                "binds[0].listeners[0].routes[0].policies.backendTLS: `insecure` / `insecureHost` skip the name check, so "
                        + "`subjectAltNames` would be ignored; set one of them at line 6");
    }

    private static List<String> errors(String tls) {
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(config("127.0.0.1:1", tls), "t.yaml",
                Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as("must fail to load").isNotNull();
        return e.errors();
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
