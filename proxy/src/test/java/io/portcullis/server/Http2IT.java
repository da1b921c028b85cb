package io.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.Closeables;
import io.portcullis.testing.Curl;
import io.portcullis.testing.Python;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 from real clients (curl, h2load, openssl s_client): cleartext with prior knowledge and over TLS by
 * ALPN, on the same ports as HTTP/1.1, through the same routing, policies and pooled HTTP/1.1 backends.
 */
class Http2IT {
    @TempDir
    static Path dir;
    static TestBackend backend;
    static RunningGateway plain;
    static RunningGateway tls;

    private static String routes() {
        return "    routes:\n"
                + "    - matches: [{path: {exact: /healthz}}]\n      policies: {directResponse: {status: 200, body: ok}}\n"
                + "    - backends:\n      - host: " + backend.hostPort() + "\n";
    }

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend();
        Python.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("ca.key").toString(),
                "-out", dir.resolve("ca.pem").toString(), "-days", "2", "-subj", "/CN=h2-test-ca");
        Path ext = Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Python.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("server.key").toString(),
                "-out", dir.resolve("server.csr").toString(), "-subj", "/CN=localhost");
        Python.openssl("x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", dir.resolve("ca.pem").toString(),
                "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-out", dir.resolve("server.pem").toString(), "-extfile", ext.toString());
        plain = RunningGateway.start("binds:\n- port: 0\n  listeners:\n  - protocol: HTTP\n" + routes());
        tls = RunningGateway.start("binds:\n- port: 0\n  listeners:\n  - protocol: HTTPS\n    tls:\n"
                + "      cert: " + dir.resolve("server.pem") + "\n      key: " + dir.resolve("server.key") + "\n" + routes());
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(plain, tls, backend);
    }

    private static String https(String path) {
        return "https://localhost:" + tls.port() + path;
    }

    @Test
    void cleartextPriorKnowledgeIsProxied() throws Exception {
        Curl.Result r = Curl.run("-sS", "--http2-prior-knowledge", "-w", "\n%{http_version}\n%{http_code}", plain.url("/json"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON + "\n2");
    }

    @Test
    void http11StillWorksOnTheSamePort() throws Exception {
        Curl.Result r = Curl.run("-sS", "--http1.1", "-w", "\n%{http_version}\n%{http_code}", plain.url("/json"));
        assertThat(r.body()).isEqualTo(TestBackend.JSON + "\n1.1");
    }

    @Test
    void requestBodiesAndStreamedResponsesCrossStreams() throws Exception {
        Curl.Result echo = Curl.run("-sS", "--http2-prior-knowledge", "--data-binary", "agent payload", plain.url("/echo"));
        assertThat(echo.body()).isEqualTo("agent payload");
        Curl.Result sse = Curl.run("-sS", "--http2-prior-knowledge", plain.url("/sse?gap=100"));
        assertThat(sse.body()).contains("data: first").contains("data: second");
    }

    @Test
    void localRepliesAndRoutingWorkPerStream() throws Exception {
        Curl.Result r = Curl.run("-sS", "--http2-prior-knowledge", plain.url("/healthz"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
    }

    @Test
    void http2ConversionHeadersNeverReachTheBackend() throws Exception {
        Curl.Result r = Curl.run("-sS", "--http2-prior-knowledge", plain.url("/headers"));
        assertThat(r.body().toLowerCase(java.util.Locale.ROOT)).doesNotContain("x-http2").contains("host:");
    }

    @Test
    void h2OverTlsIsNegotiatedByAlpn() throws Exception {
        Curl.Result r = Curl.run("-sS", "--http2", "--cacert", dir.resolve("ca.pem").toString(), "-w", "\n%{http_version}\n%{http_code}",
                https("/json"));
        assertThat(r.body()).isEqualTo(TestBackend.JSON + "\n2");
        String handshake = Python.run(List.of("bash", "-c", "openssl s_client -alpn h2 -connect 127.0.0.1:" + tls.port()
                + " -servername localhost </dev/null 2>&1 | grep -i 'ALPN protocol'"));
        assertThat(handshake).contains("h2");
    }

    @Test
    void h2loadCompletesWithoutErrorsInTheClearAndOverTls() throws Exception {
        String clear = Python.run(List.of("h2load", "-n", "2000", "-c", "4", "-m", "10", plain.url("/json")));
        assertThat(clear).contains("2000 succeeded, 0 failed, 0 errored, 0 timeout").contains("2000 2xx");
        String overTls = Python.run(List.of("h2load", "-n", "1000", "-c", "2", "-m", "10", https("/json")));
        assertThat(overTls).contains("1000 succeeded, 0 failed, 0 errored, 0 timeout").contains("Application protocol: h2");
    }

    @Test
    void drainSendsGoawaySoAnIdleH2ClientDoesNotHoldTheShutdown() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (java.io.InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (RunningGateway gw = RunningGateway.start("binds:\n- port: 0\n  listeners:\n  - protocol: HTTPS\n    tls:\n"
                + "      cert: " + dir.resolve("server.pem") + "\n      key: " + dir.resolve("server.key") + "\n" + routes())) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(ssl)
                    .version(java.net.http.HttpClient.Version.HTTP_2).build();
            java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("https://localhost:" + gw.port() + "/json")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            // The client keeps its h2 connection open and idle; the drain must not wait for the deadline.
            long start = System.nanoTime();
            gw.server().drain(15_000);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("drain time with an idle h2 client").isLessThan(5_000);
        }
    }
}
