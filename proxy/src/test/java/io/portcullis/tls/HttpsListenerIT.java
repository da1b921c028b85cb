package io.portcullis.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.testing.Curl;
import io.portcullis.testing.Python;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS listeners with real handshakes on 127.0.0.1: curl and {@code openssl s_client} as clients, keys and
 * certificates made with openssl (a test CA, another CA, server certificates for localhost / 127.0.0.1 and for
 * two names, client certificates from both CAs), a {@link TestBackend} behind the gateway.
 */
class HttpsListenerIT {
    @TempDir
    static Path dir;
    static TestBackend backend;

    @BeforeAll
    static void certificates() throws Exception {
        backend = new TestBackend();
        ca("test-ca");
        ca("other-ca");
        cert("localhost", "test-ca", "DNS:localhost,IP:127.0.0.1", 1001);
        cert("a.test", "test-ca", "DNS:a.test", 1002);
        cert("b.test", "test-ca", "DNS:b.test", 1003);
        cert("client", "test-ca", "DNS:client", 1004);
        cert("rogue", "other-ca", "DNS:client", 1005);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static void ca(String name) throws Exception {
        Python.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file(name + ".key"),
                "-out", file(name + ".pem"), "-days", "2", "-subj", "/CN=" + name);
    }

    /** {@code name.pem} / {@code name.key}, signed by {@code ca}, with the given SANs and serial. */
    private static void cert(String name, String ca, String san, int serial) throws Exception {
        Path ext = Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
        Python.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", file(name + ".key"), "-out", file(name + ".csr"),
                "-subj", "/CN=" + name);
        Python.openssl("x509", "-req", "-in", file(name + ".csr"), "-CA", file(ca + ".pem"), "-CAkey", file(ca + ".key"),
                "-set_serial", Integer.toString(serial), "-days", "2", "-out", file(name + ".pem"),
                "-extfile", ext.toString());
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }

    /** One HTTPS listener's YAML; {@code extraTls} lines are indented six spaces. */
    private static String listener(String hostname, String cert, String extraTls) {
        return "  - protocol: HTTPS\n"
                + (hostname == null ? "" : "    hostname: \"" + hostname + "\"\n")
                + "    tls:\n      cert: " + file(cert + ".pem") + "\n      key: " + file(cert + ".key") + "\n"
                + extraTls
                + "    routes:\n    - backends:\n      - host: " + backend.hostPort() + "\n";
    }

    private static String config(String... listeners) {
        return "binds:\n- port: 0\n  address: 127.0.0.1\n  listeners:\n" + String.join("", listeners);
    }

    private static Curl.Result curl(RunningGateway gw, String host, String path, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--resolve", host + ":" + gw.port() + ":127.0.0.1"));
        all.addAll(List.of(args));
        all.add("https://" + host + ":" + gw.port() + path);
        return Curl.within(10, all.toArray(new String[0]));
    }

    /** The serial and subject of the certificate a fresh handshake gets (SNI {@code servername}, or none). */
    private static String served(RunningGateway gw, String servername) throws Exception {
        String sni = servername == null ? "-noservername" : "-servername " + servername;
        return Python.run(List.of("bash", "-c", "openssl s_client -connect 127.0.0.1:" + gw.port() + " " + sni
                + " </dev/null 2>/dev/null | openssl x509 -noout -serial -subject")).toLowerCase(Locale.ROOT);
    }

    @Test
    void requestWithTheRightCaReachesTheBackendAsHttps() throws Exception {
        try (RunningGateway gw = RunningGateway.start(config(listener(null, "localhost", "")))) {
            Curl.Result r = curl(gw, "localhost", "/headers", "--cacert", file("test-ca.pem"));

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().toLowerCase(Locale.ROOT)).contains("x-forwarded-proto: https");
        }
    }

    @Test
    void clientWithoutTheCaRefusesTheCertificate() throws Exception {
        try (RunningGateway gw = RunningGateway.start(config(listener(null, "localhost", "")))) {
            Curl.Result r = curl(gw, "localhost", "/json");

            assertThat(r.status()).isZero();
            assertThat(r.stderr()).contains("certificate");
            assertThat(backend.lastRequest() == null || !r.body().contains("hello")).isTrue();
        }
    }

    @Test
    void plainHttpOnAnHttpsPortGetsNoResponse() throws Exception {
        try (RunningGateway gw = RunningGateway.start(config(listener(null, "localhost", "")))) {
            assertThat(Curl.within(10, "http://127.0.0.1:" + gw.port() + "/json").status()).isZero();
        }
    }

    @Test
    void eachHostnameGetsItsOwnCertificateOnOnePort() throws Exception {
        String yaml = config(listener("a.test", "a.test", ""), listener("b.test", "b.test", ""));
        try (RunningGateway gw = RunningGateway.start(yaml)) {
            assertThat(served(gw, "a.test")).contains("serial=03ea").contains("cn = a.test");
            assertThat(served(gw, "b.test")).contains("serial=03eb").contains("cn = b.test");
            // No SNI, or a name nobody claims: the first listener's certificate.
            assertThat(served(gw, null)).contains("cn = a.test");
            assertThat(served(gw, "c.test")).contains("cn = a.test");

            assertThat(curl(gw, "a.test", "/json", "--cacert", file("test-ca.pem")).status()).isEqualTo(200);
            assertThat(curl(gw, "b.test", "/json", "--cacert", file("test-ca.pem")).status()).isEqualTo(200);
        }
    }

    @Test
    void wildcardHostnameAndDefaultListenerShareAPort() throws Exception {
        String yaml = config(listener(null, "localhost", ""), listener("*.test", "b.test", ""));
        try (RunningGateway gw = RunningGateway.start(yaml)) {
            assertThat(served(gw, "b.test")).contains("cn = b.test");
            assertThat(served(gw, "localhost")).contains("cn = localhost");
            assertThat(served(gw, null)).contains("cn = localhost");
        }
    }

    @Test
    void mutualTlsRequiresAClientCertificateFromTheRoot() throws Exception {
        String mtls = "      root: " + file("test-ca.pem") + "\n";
        try (RunningGateway gw = RunningGateway.start(config(listener(null, "localhost", mtls)))) {
            String ca = file("test-ca.pem");
            Curl.Result none = curl(gw, "localhost", "/json", "--cacert", ca);
            Curl.Result rogue = curl(gw, "localhost", "/json", "--cacert", ca,
                    "--cert", file("rogue.pem"), "--key", file("rogue.key"));
            Curl.Result right = curl(gw, "localhost", "/json", "--cacert", ca,
                    "--cert", file("client.pem"), "--key", file("client.key"));

            assertThat(none.status()).as(none.stderr()).isZero();
            assertThat(rogue.status()).as(rogue.stderr()).isZero();
            assertThat(right.status()).as(right.stderr()).isEqualTo(200);
            assertThat(right.body()).contains("hello from the origin");
        }
    }

    @Test
    void minimumVersionRefusesOlderClients() throws Exception {
        try (RunningGateway gw = RunningGateway.start(config(listener(null, "localhost", "      minTLSVersion: \"1.3\"\n")))) {
            String ca = file("test-ca.pem");
            assertThat(curl(gw, "localhost", "/json", "--cacert", ca, "--tls-max", "1.2").status()).isZero();
            assertThat(curl(gw, "localhost", "/json", "--cacert", ca).status()).isEqualTo(200);
        }
    }

    @Test
    void configuredCipherSuiteIsTheOneNegotiated() throws Exception {
        String tls = "      maxTLSVersion: \"1.2\"\n      cipherSuites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n";
        try (RunningGateway gw = RunningGateway.start(config(listener(null, "localhost", tls)))) {
            String out = Python.run(List.of("bash", "-c", "openssl s_client -connect 127.0.0.1:" + gw.port()
                    + " -servername localhost </dev/null 2>/dev/null | grep -i 'cipher'"));
            assertThat(out).contains("ECDHE-RSA-AES256-GCM-SHA384");
            assertThat(curl(gw, "localhost", "/json", "--cacert", file("test-ca.pem")).status()).isEqualTo(200);
        }
    }

    @Test
    void rotatedCertificateServesNewHandshakesAndOpenConnectionsKeepWorking() throws Exception {
        Files.copy(dir.resolve("localhost.pem"), dir.resolve("rot.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("localhost.key"), dir.resolve("rot.key"), StandardCopyOption.REPLACE_EXISTING);
        long interval = CertificateReloader.intervalMillis;
        CertificateReloader.intervalMillis = 100;
        try (RunningGateway gw = RunningGateway.start(config(listener(null, "rot", "")));
                KeepAlive open = new KeepAlive(gw.port())) {
            assertThat(open.get("/json")).startsWith("HTTP/1.1 200");
            assertThat(served(gw, "localhost")).contains("serial=03e9");

            cert("rot", "test-ca", "DNS:localhost,IP:127.0.0.1", 2001); // new key and certificate, in place
            assertThat(awaitServed(gw, "serial=07d1")).as("the new certificate is served").isTrue();

            assertThat(open.get("/json")).startsWith("HTTP/1.1 200");
            assertThat(open.serial()).isEqualTo(BigInteger.valueOf(1001));
            assertThat(curl(gw, "localhost", "/json", "--cacert", file("test-ca.pem")).status()).isEqualTo(200);

            // A broken file is not applied: handshakes keep getting the last good certificate.
            Files.writeString(dir.resolve("rot.pem"), "not a certificate\n");
            Thread.sleep(600);
            assertThat(served(gw, "localhost")).contains("serial=07d1");
            assertThat(curl(gw, "localhost", "/json", "--cacert", file("test-ca.pem")).status()).isEqualTo(200);
        } finally {
            CertificateReloader.intervalMillis = interval;
        }
    }

    /**
     * Acceptance 3: the files are replaced (each by an atomic rename, as a Kubernetes secret volume does, so for
     * a moment the key and certificate do not match) while wrk opens a new TLS connection per request and a
     * verifying client does the same: new handshakes get the new certificate, and not one request fails.
     */
    @Test
    void rotationUnderLoadFailsNoRequest() throws Exception {
        Files.copy(dir.resolve("localhost.pem"), dir.resolve("load.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("localhost.key"), dir.resolve("load.key"), StandardCopyOption.REPLACE_EXISTING);
        long interval = CertificateReloader.intervalMillis;
        CertificateReloader.intervalMillis = 100;
        cert("load-next", "test-ca", "DNS:localhost,IP:127.0.0.1", 3001);
        try (RunningGateway gw = RunningGateway.start(config(listener(null, "load", "")))) {
            Process wrk = new ProcessBuilder("wrk", "-t1", "-c4", "-d6s", "-H", "Connection: close",
                    "https://127.0.0.1:" + gw.port() + "/json").redirectErrorStream(true).start();
            List<BigInteger> serials = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            Thread verifying = new Thread(() -> {
                while (wrk.isAlive()) {
                    try (KeepAlive fresh = new KeepAlive(gw.port())) {
                        String reply = fresh.get("/json");
                        if (!reply.startsWith("HTTP/1.1 200")) {
                            failures.add(reply.lines().findFirst().orElse(""));
                        }
                        serials.add(fresh.serial());
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            verifying.start();
            Thread.sleep(1500);
            Files.move(dir.resolve("load-next.key"), dir.resolve("load.key"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(dir.resolve("load-next.pem"), dir.resolve("load.pem"), StandardCopyOption.ATOMIC_MOVE);
            assertThat(awaitServed(gw, "serial=0bb9")).as("openssl s_client gets the new certificate").isTrue();
            assertThat(wrk.waitFor(30, TimeUnit.SECONDS)).as("wrk finished").isTrue();
            verifying.join(TimeUnit.SECONDS.toMillis(30));
            String report = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("rotation under load: verifying client " + serials.size() + " handshakes (" + serials.stream()
                    .filter(BigInteger.valueOf(3001)::equals).count() + " with the new certificate); wrk:\n" + report);

            assertThat(report).as(report).contains("requests in").doesNotContain("Socket errors")
                    .doesNotContain("Non-2xx");
            assertThat(failures).isEmpty();
            assertThat(serials).contains(BigInteger.valueOf(1001), BigInteger.valueOf(3001));
            assertThat(serials.get(serials.size() - 1)).isEqualTo(BigInteger.valueOf(3001));
        } finally {
            CertificateReloader.intervalMillis = interval;
        }
    }

    private static boolean awaitServed(RunningGateway gw, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (served(gw, "localhost").contains(expected)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void missingCertificateFileFailsTheLoadWithItsPath() {
        String yaml = "binds:\n- port: 0\n  listeners:\n  - protocol: HTTPS\n    tls:\n"
                + "      cert: /nonexistent/tls.crt\n      key: " + file("localhost.key") + "\n"
                + "    routes:\n    - backends:\n      - host: 127.0.0.1:9\n";
        assertThat(errors(yaml)).containsExactly(
                "binds[0].listeners[0].tls.cert: cannot read /nonexistent/tls.crt: no such file at line 6");
    }

    @Test
    void keyOfAnotherCertificateFailsTheLoad() {
        String yaml = "binds:\n- port: 0\n  listeners:\n  - protocol: HTTPS\n    tls:\n"
                + "      cert: " + file("localhost.pem") + "\n      key: " + file("a.test.key") + "\n"
                + "    routes:\n    - backends:\n      - host: 127.0.0.1:9\n";
        assertThat(errors(yaml)).singleElement().asString().startsWith("binds[0].listeners[0].tls: cannot use the "
                + "TLS files: the key does not belong to the certificate (a test handshake with them failed: ");
    }

    @Test
    void versionsOtherThanTls12And13AndReversedRangesFailTheLoad() {
        assertThat(errors(config(listener(null, "localhost", "      minTLSVersion: \"1.1\"\n")))).containsExactly(
                "binds[0].listeners[0].tls.minTLSVersion: \"1.1\" (expected: \"1.2\" or \"1.3\") at line 9");
        assertThat(errors(config(listener(null, "localhost",
                "      minTLSVersion: \"1.3\"\n      maxTLSVersion: \"1.2\"\n")))).containsExactly(
                "binds[0].listeners[0].tls.maxTLSVersion: \"1.2\" is below minTLSVersion \"1.3\" at line 10");
    }

    @Test
    void unknownCipherSuiteFailsTheLoad() {
        assertThat(errors(config(listener(null, "localhost",
                "      cipherSuites: [TLS13_AES_128_GCM_SHA256, TLS_RSA_WITH_RC4_128_MD5]\n")))).containsExactly(
                "binds[0].listeners[0].tls.cipherSuites[1]: \"TLS_RSA_WITH_RC4_128_MD5\" is not a cipher suite of "
                        + "this TLS provider (expected: an IANA name such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 "
                        + "or TLS_AES_128_GCM_SHA256) at line 9");
    }

    @Test
    void httpAndHttpsListenersCannotShareABind() {
        String yaml = config(listener("a.test", "a.test", ""))
                + "  - hostname: b.test\n    routes:\n    - backends:\n      - host: 127.0.0.1:9\n";
        assertThat(errors(yaml)).containsExactly("binds[0].listeners[1].protocol: HTTP, but binds[0].listeners[0] "
                + "is HTTPS (expected: the same protocol for every listener of a bind) at line 13");
    }

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.parse(yaml, "t.yaml", Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as("must fail to load").isNotNull();
        return e.errors();
    }

    /** One TLS connection kept open across requests, trusting the test CA. */
    private static final class KeepAlive implements AutoCloseable {
        private final SSLSocket socket;

        KeepAlive(int port) throws Exception {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = new FileInputStream(file("test-ca.pem"))) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            socket.startHandshake();
        }

        /** Sends a GET and reads one response with a Content-Length body; returns head and body. */
        String get(String path) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed after " + head);
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }

        BigInteger serial() throws IOException {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
