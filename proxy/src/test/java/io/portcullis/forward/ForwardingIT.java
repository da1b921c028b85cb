package io.portcullis.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.Curl;
import io.portcullis.testing.RawHttp;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests through a real gateway socket to a real backend socket, with curl and raw HTTP. */
class ForwardingIT {
    static TestBackend backend;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: rewrite
                      matches:
                      - path: {pathPrefix: /api}
                      policies:
                        urlRewrite:
                          path: {prefix: /}
                      backends:
                      - host: %1$s
                    - name: echo-headers
                      matches:
                      - path: {exact: /headers}
                      policies:
                        requestHeaderModifier:
                          set: {x-added: yes}
                          remove: [x-secret]
                        responseHeaderModifier:
                          add: {x-resp: r1}
                      backends:
                      - host: %1$s
                    - name: default
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void curlGetsTheBackendBody() throws Exception {
        Curl.Result r = Curl.run(gateway.url("/json"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
    }

    @Test
    void forwardingHeadersComeFromThePeerAndHostFromTheBackend() throws Exception {
        Curl.Result r = Curl.run("-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Forwarded-Proto: https",
                "-H", "X-Secret: s3cret", "-H", "Connection: keep-alive, X-Hop", "-H", "X-Hop: gone",
                gateway.url("/headers"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .contains("x-forwarded-for: 127.0.0.1\n")
                .contains("x-forwarded-proto: http\n")
                .contains("host: " + backend.hostPort() + "\n")
                .contains("x-added: yes\n")
                .doesNotContain("6.6.6.6")
                .doesNotContain("s3cret")
                .doesNotContain("x-hop")
                .doesNotContain("connection:");
    }

    @Test
    void prefixRewriteReplacesTheMatchedPrefix() throws Exception {
        Curl.Result r = Curl.run(gateway.url("/api/headers?q=1"));
        assertThat(r.body()).startsWith("GET /headers?q=1\n");
    }

    @Test
    void keepAliveConnectionsToTheBackendAreReused() throws Exception {
        Curl.run(gateway.url("/json"));
        int before = backend.connections();
        for (int i = 0; i < 20; i++) {
            assertThat(Curl.run(gateway.url("/json")).status()).isEqualTo(200);
        }
        assertThat(backend.connections()).isEqualTo(before);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /api/status/201 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /api/status/202 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /api/status/203 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String all = raw.readUntilClose();
            int a = all.indexOf("HTTP/1.1 201");
            int b = all.indexOf("HTTP/1.1 202");
            int c = all.indexOf("HTTP/1.1 203");
            assertThat(a).isGreaterThanOrEqualTo(0);
            assertThat(b).isGreaterThan(a);
            assertThat(c).isGreaterThan(b);
        }
    }

    @Test
    void pooledConnectionsExpireAfterThePoolIdleTimeout() throws Exception {
        try (TestBackend own = new TestBackend();
             RunningGateway gw = RunningGateway.start("""
                     config:
                       workerThreads: 1
                       backend:
                         poolIdleTimeout: 300ms
                     binds:
                     - port: 0
                       address: 127.0.0.1
                       listeners:
                       - routes:
                         - backends:
                           - host: %s
                     """.formatted(own.hostPort()))) {
            assertThat(Curl.run(gw.url("/json")).status()).isEqualTo(200);
            assertThat(Curl.run(gw.url("/json")).status()).isEqualTo(200);
            assertThat(own.connections()).as("reused while fresh").isEqualTo(1);
            Thread.sleep(1000);
            assertThat(Curl.run(gw.url("/json")).status()).isEqualTo(200);
            assertThat(own.connections()).as("expired after idling").isEqualTo(2);
        }
    }

    @Test
    void closeDelimitedBackendBodyIsReframedAsChunkedAndTheClientConnectionStaysUsable() throws Exception {
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 4, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread backendThread = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (java.net.Socket c = raw.accept()) {
                        c.setSoTimeout(2000);
                        c.getInputStream().read(new byte[8192]);
                        c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil-close body"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            backendThread.setDaemon(true);
            backendThread.start();
            try (RunningGateway gw = RunningGateway.start("""
                    binds:
                    - port: 0
                      address: 127.0.0.1
                      listeners:
                      - routes:
                        - backends:
                          - host: 127.0.0.1:%d
                    """.formatted(raw.getLocalPort()));
                 RawHttp client = new RawHttp(gw.port())) {
                client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
                String first = client.readAll(3000, 1 << 16);
                assertThat(first).containsIgnoringCase("transfer-encoding: chunked").contains("until-close body").endsWith("0\r\n\r\n");
                client.send("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(client.readUntilClose()).startsWith("HTTP/1.1 200").contains("until-close body");
            }
        }
    }
}
