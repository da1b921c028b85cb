package io.portcullis.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContextBuilder;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.Curl;
import io.portcullis.testing.FreePort;
import io.portcullis.testing.Python;
import io.portcullis.testing.RawHttp;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import io.portcullis.testing.TestCa;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 to backends ({@code backends[].policies.http.version: HTTP/2.0}): a Netty h2c backend and an h2-over-TLS
 * backend (ALPN), reached by HTTP/1.1 and HTTP/2 clients (curl, h2load); one multiplexed connection per event loop,
 * bodies streamed both ways, trailers, GOAWAY, the backend's stream limit, and 502 for connection failures.
 */
class Http2UpstreamIT {
    @TempDir
    static Path dir;
    static TestCa ca;
    static TestBackend h2c;
    static TestBackend h2tls;
    static TestBackend http1;
    static RunningGateway gw;

    private static String route(String prefix, String host, String extraPolicies) {
        return "    - matches: [{path: {pathPrefix: /" + prefix + "}}]\n"
                + "      policies: {urlRewrite: {path: {prefix: /}}" + extraPolicies + "}\n"
                + "      backends:\n      - host: " + host + "\n"
                + "        policies: {http: {version: HTTP/2.0}}\n";
    }

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.create(dir);
        h2c = TestBackend.http2(null, 0);
        h2tls = TestBackend.http2(SslContextBuilder.forServer(ca.cert().toFile(), ca.key().toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build(), 0);
        http1 = new TestBackend();
        gw = RunningGateway.start("config: {workerThreads: 1}\nbinds:\n- port: 0\n  listeners:\n  - protocol: HTTP\n    routes:\n"
                + route("tls", "127.0.0.1:" + h2tls.port(), ", backendTLS: {root: " + ca.ca() + "}")
                + route("h1only", http1.hostPort(), "")
                + route("untrusted", "127.0.0.1:" + h2tls.port(), ", backendTLS: {hostname: localhost}")
                + route("refused", "127.0.0.1:" + FreePort.find(), "")
                + route("", h2c.hostPort(), ""));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gw, h2c, h2tls, http1);
    }

    @Test
    void http11ClientReachesAnH2cBackend() throws Exception {
        Curl.Result r = Curl.run("--http1.1", gw.url("/json"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
        Curl.Result headers = Curl.run("--http1.1", "-i", gw.url("/headers"));
        // The backend saw an HTTP/2 request (its codec adds x-http2-scheme); the client sees no conversion header.
        String[] headAndBody = headers.body().split("\r\n\r\n", 2);
        assertThat(headAndBody[1]).contains("x-http2-scheme: http");
        assertThat(headAndBody[0]).doesNotContain("x-http2");
    }

    @Test
    void http2ClientReachesAnH2cBackend() throws Exception {
        Curl.Result r = Curl.run("--http2-prior-knowledge", "-i", gw.url("/json"));
        assertThat(r.body()).startsWith("HTTP/2 200").endsWith(TestBackend.JSON);
        Curl.Result echo = Curl.run("--http2-prior-knowledge", "--data-binary", "agent payload", gw.url("/echo"));
        assertThat(echo.body()).isEqualTo("agent payload");
    }

    @Test
    void bodiesStreamBothWays() throws Exception {
        Path upload = dir.resolve("upload.bin");
        java.nio.file.Files.write(upload, new byte[900_000]);
        Curl.Result up = Curl.run("--http1.1", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + upload,
                gw.url("/upload"));
        assertThat(up.body()).isEqualTo("received=900000\n");
        String down = Python.run(List.of("curl", "-sS", "--max-time", "30", "--http1.1", "-o", "/dev/null",
                "-w", "%{http_code} %{size_download}", gw.url("/download?size=8388608")));
        assertThat(down).isEqualTo("200 8388608");
        Curl.Result sse = Curl.run("--http1.1", gw.url("/sse?gap=100"));
        assertThat(sse.body()).contains("data: first").contains("data: second");
    }

    @Test
    void trailersReachAnHttp11ClientInTheChunkedEncoding() throws Exception {
        try (RawHttp raw = new RawHttp(gw.port())) {
            String response = raw.send("GET /trailers HTTP/1.1\r\nHost: test\r\nTE: trailers\r\nConnection: close\r\n\r\n")
                    .readUntilClose();
            assertThat(response).startsWith("HTTP/1.1 200").contains("with trailers").containsIgnoringCase("x-checksum: 42");
        }
    }

    @Test
    void h2OverTlsIsChosenByAlpn() throws Exception {
        Curl.Result r = Curl.run("--http1.1", gw.url("/tls/headers"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("x-http2-scheme: https");
        String load = Python.run(List.of("h2load", "-n", "300", "-c", "2", "-m", "10", gw.url("/tls/json")));
        assertThat(load).contains("300 succeeded, 0 failed, 0 errored, 0 timeout");
    }

    @Test
    void manyRequestsShareOneConnectionAndRespectTheStreamLimit() throws Exception {
        try (TestBackend limited = TestBackend.http2(null, 2);
             RunningGateway one = RunningGateway.start("config: {workerThreads: 1}\nbinds:\n- port: 0\n  listeners:\n"
                     + "  - protocol: HTTP\n    routes:\n" + route("", limited.hostPort(), ""))) {
            String out = Python.run(List.of("h2load", "-n", "60", "-c", "3", "-m", "10", one.url("/slow?ms=20")));
            assertThat(out).contains("60 succeeded, 0 failed, 0 errored, 0 timeout");
            assertThat(limited.connections()).isEqualTo(1);
            assertThat(limited.maxOpenStreams()).isEqualTo(2);
            String http11 = Python.run(List.of("h2load", "--h1", "-n", "60", "-c", "4", one.url("/json")));
            assertThat(http11).contains("60 succeeded, 0 failed, 0 errored, 0 timeout");
            assertThat(limited.connections()).isEqualTo(1);
        }
    }

    @Test
    void afterGoawayNewRequestsUseANewConnection() throws Exception {
        try (TestBackend backend = TestBackend.http2(null, 0);
             RunningGateway one = RunningGateway.start("config: {workerThreads: 1}\nbinds:\n- port: 0\n  listeners:\n"
                     + "  - protocol: HTTP\n    routes:\n" + route("", backend.hostPort(), ""))) {
            assertThat(Curl.run(one.url("/json")).status()).isEqualTo(200);
            Curl.Result away = Curl.run(one.url("/goaway"));
            assertThat(away.status()).isEqualTo(200);
            assertThat(away.body()).isEqualTo("going away\n");
            Curl.Result after = Curl.run(one.url("/json"));
            assertThat(after.status()).isEqualTo(200);
            assertThat(backend.connections()).isEqualTo(2);
        }
    }

    @Test
    void connectionFailuresAre502() throws Exception {
        Curl.Result refused = Curl.run(gw.url("/refused/json"));
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.body()).isEqualTo("upstream connect failed\n");
        // An HTTP/1.1-only backend cannot answer the h2c preface: the connection ends before it is usable.
        Curl.Result notH2 = Curl.run(gw.url("/h1only/json"));
        assertThat(notH2.status()).isEqualTo(502);
        // TLS failures say which, as for HTTP/1.1 backends (the system trust store does not know the test CA).
        Curl.Result untrusted = Curl.run(gw.url("/untrusted/json"));
        assertThat(untrusted.status()).isEqualTo(502);
        assertThat(untrusted.body()).isEqualTo("upstream certificate not trusted\n");
        Curl.Result streamReset = Curl.run(gw.url("/close"));
        assertThat(streamReset.status()).isEqualTo(502);
        assertThat(Curl.run(gw.url("/json")).status()).isEqualTo(200);
    }
}
