package io.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.Curl;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every local error status of the gateway, provoked over real sockets: the status, the short text/plain
 * reason, whether the connection stays usable or is closed, and that the body never echoes the request.
 * Public only for its nested {@link Wire} client, {@link Response} and {@link RawBackend}, which the other
 * protocol-level ITs share.
 */
@Timeout(30)
public class ErrorStatusIT {
    /** A unique string put into requests; no error body may contain it. */
    static final String MARKER = "Mk7Qz9Echo";

    static TestBackend backend;
    static TestBackend retryBackend;
    static RawBackend badBackend;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend();
        retryBackend = new TestBackend();
        badBackend = new RawBackend("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n");
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                frontendPolicies:
                  http:
                    requestHeaderTimeout: 1s
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: api
                      matches:
                      - path: {pathPrefix: /api}
                      policies:
                        urlRewrite:
                          path: {prefix: /}
                      backends:
                      - host: %1$s
                    - name: small-body
                      matches:
                      - path: {pathPrefix: /small}
                      policies:
                        maxRequestBodySize: 1Ki
                        urlRewrite:
                          path: {full: /upload}
                      backends:
                      - host: %1$s
                    - name: refused
                      matches:
                      - path: {pathPrefix: /refused}
                      backends:
                      - host: 127.0.0.1:%2$d
                    - name: ejected
                      matches:
                      - path: {pathPrefix: /ejected}
                      backends:
                      - host: 127.0.0.1:%3$d
                    - name: backend-timeout
                      matches:
                      - path: {pathPrefix: /bt}
                      policies:
                        timeout: {backendRequestTimeout: 500ms}
                        urlRewrite:
                          path: {prefix: /}
                      backends:
                      - host: %1$s
                    - name: total-timeout
                      matches:
                      - path: {pathPrefix: /tt}
                      policies:
                        timeout: {requestTimeout: 500ms}
                        urlRewrite:
                          path: {prefix: /}
                      backends:
                      - host: %1$s
                    - name: retry
                      matches:
                      - path: {pathPrefix: /retry}
                      policies:
                        retry: {attempts: 3, codes: [503], backoff: 10ms}
                        urlRewrite:
                          path: {prefix: /}
                      backends:
                      - host: %4$s
                    - name: bad-backend
                      matches:
                      - path: {pathPrefix: /bad}
                      backends:
                      - host: 127.0.0.1:%5$d
                """.formatted(backend.hostPort(), refusedPort(), refusedPort(), retryBackend.hostPort(), badBackend.port()));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        backend.close();
        retryBackend.close();
        badBackend.close();
    }

    /** A loopback port nothing listens on (bound once, then released). */
    static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ 404

    @Test
    void unmatchedRequestGets404NoRouteMatchedWithoutEchoingThePath() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("GET /nowhere/" + MARKER + "?q=" + MARKER + " HTTP/1.1\r\nHost: " + MARKER + "\r\n"
                    + "X-Marker: " + MARKER + "\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("no route matched\n");
            assertThat(r.header("content-type")).startsWith("text/plain");
            assertThat(r.raw()).doesNotContain(MARKER);
        }
    }

    @Test
    void curlSeesTheSame404() throws Exception {
        Curl.Result r = curl(gateway.url("/nowhere"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("no route matched\n");
    }

    @Test
    void local404WithoutBodyKeepsTheConnectionOpen() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response first = w.send("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(first.status()).isEqualTo(404);
            assertThat(first.header("connection")).isNull();
            Response second = w.send("GET /api/json HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(TestBackend.JSON);
            assertThat(w.closedWithin(200)).isFalse();
        }
    }

    @Test
    void local404WithASmallBodyDiscardsTheBodyAndKeepsTheConnection() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response first = w.send("POST /nowhere HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789").read();
            assertThat(first.status()).isEqualTo(404);
            assertThat(first.header("connection")).isNull();
            Response second = w.send("GET /api/json HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(TestBackend.JSON);
        }
    }

    @Test
    void local404WithAChunkedBodyClosesTheConnection() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("POST /nowhere HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    // ------------------------------------------------------------------ 400

    static Stream<Arguments> malformedRequests() {
        String m = MARKER;
        return Stream.of(
                Arguments.of("request line with an invalid version",
                        "GET /api/json?" + m + " HTTP/1.1 " + m + "\r\nHost: a\r\n\r\n"),
                Arguments.of("request line that is not HTTP",
                        "GET /api/json?" + m + " FTP/" + m + "\r\nHost: a\r\n\r\n"),
                Arguments.of("Content-Length together with Transfer-Encoding",
                        "POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"
                                + "X-M: " + m + "\r\n\r\n0\r\n\r\n"),
                Arguments.of("two Content-Length values",
                        "POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
                                + "X-M: " + m + "\r\n\r\nhello!"),
                Arguments.of("Transfer-Encoding other than chunked",
                        "POST /api/upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nX-M: " + m + "\r\n\r\nhello"),
                Arguments.of("missing Host on HTTP/1.1",
                        "GET /api/json?" + m + " HTTP/1.1\r\nX-M: " + m + "\r\n\r\n"),
                Arguments.of("two Host headers",
                        "GET /api/json HTTP/1.1\r\nHost: a\r\nHost: " + m + "\r\n\r\n"),
                Arguments.of("bare LF line endings",
                        "GET /api/json?" + m + " HTTP/1.1\nHost: a\nX-M: " + m + "\n\n"),
                Arguments.of("space before the colon of a header name",
                        "GET /api/json HTTP/1.1\r\nHost: a\r\nX-M : " + m + "\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedRequestGets400AndTheConnectionIsClosed(String what, String request) throws Exception {
        int before = backend.requests();
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send(request).read();
            assertThat(r.status()).as(what).isEqualTo(400);
            assertThat(r.body()).isEqualTo("malformed request\n");
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(r.raw()).doesNotContain(MARKER);
            assertThat(w.closedWithin(2000)).as("closed after 400").isTrue();
        }
        assertThat(backend.requests()).as("nothing forwarded").isEqualTo(before);
    }

    @Test
    void hostWithAnInvalidValueGets400() throws Exception {
        // RFC 9112 section 3.2: a Host field with an invalid field value MUST be answered with 400
        for (String host : new String[] {"a b", "a/b", "a@b"}) {
            try (Wire w = new Wire(gateway.port())) {
                Response r = w.send("GET /api/json HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
                assertThat(r.status()).as("Host: %s", host).isEqualTo(400);
                assertThat(w.closedWithin(2000)).isTrue();
            }
        }
    }

    // ------------------------------------------------------------------ 408

    @Test
    void incompleteHeadGets408AfterRequestHeaderTimeoutAndClose() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            long start = System.nanoTime();
            w.send("GET /api/json?" + MARKER + " HTTP/1.1\r\nHost: a\r\nX-M: " + MARKER + "\r\n");
            Response r = w.read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.body()).isEqualTo("request head not received in time\n");
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(r.raw()).doesNotContain(MARKER);
            assertThat(millis).as("waited for the 1s head timeout").isBetween(900L, 3000L);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void incompleteHeadOfASecondRequestOnAKeepAliveConnectionGets408() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            assertThat(w.send("GET /api/json HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            Response r = w.send("GET /api/json HTTP/1.1\r\nHost: a\r\n").read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(millis).isBetween(900L, 3000L);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    // ------------------------------------------------------------------ 413

    @Test
    void contentLengthOverTheDefaultLimitGets413BeforeTheBodyIsSent() throws Exception {
        int before = backend.requests();
        try (Wire w = new Wire(gateway.port())) {
            w.send("POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n");
            Response r = w.read(); // no body was sent: the reply must come without waiting for it
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).isEqualTo("request body too large\n");
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(w.closedWithin(2000)).isTrue();
        }
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void routeBodyLimitAcceptsABodyUnderIt() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 1024\r\n\r\n" + "x".repeat(1024)).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("received=1024\n");
        }
    }

    @Test
    void contentLengthOverTheRouteLimitGets413() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void chunkedBodyOverTheRouteLimitGets413() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            String chunk = "y".repeat(800);
            w.send("POST /small HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "320\r\n" + chunk + "\r\n" + "320\r\n" + chunk + "\r\n");
            Response r = w.read(); // the terminating chunk was never sent
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).isEqualTo("request body too large\n");
            assertThat(r.raw()).doesNotContain(chunk);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void chunkedBodyUnderTheRouteLimitIsForwarded() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            String chunk = "y".repeat(500);
            Response r = w.send("POST /small HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1f4\r\n" + chunk + "\r\n" + "1f4\r\n" + chunk + "\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("received=1000\n");
        }
    }

    // ------------------------------------------------------------------ 414 / 431

    @Test
    void requestLineOverTheDefaultLimitGets414() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("GET /api/json?" + MARKER + "=" + "a".repeat(9 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(414);
            assertThat(r.body()).isEqualTo("request line too long\n");
            assertThat(r.raw()).doesNotContain(MARKER);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void headerBlockOverTheDefaultLimitGets431() throws Exception {
        StringBuilder head = new StringBuilder("GET /api/json HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 40; i++) {
            head.append("X-").append(MARKER).append(i).append(": ").append("v".repeat(1000)).append("\r\n");
        }
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send(head.append("\r\n").toString()).read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.body()).isEqualTo("request headers too large\n");
            assertThat(r.raw()).doesNotContain(MARKER);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void moreThanTheDefault100HeaderFieldsGets431() throws Exception {
        StringBuilder head = new StringBuilder("GET /api/json HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 100; i++) { // 101 fields with Host
            head.append("X-").append(MARKER).append(i).append(": v\r\n");
        }
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send(head.append("\r\n").toString()).read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.raw()).doesNotContain(MARKER);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    // ------------------------------------------------------------------ 417 / 100-continue

    @Test
    void unsupportedExpectationGets417() throws Exception {
        int before = backend.requests();
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("POST /api/upload HTTP/1.1\r\nHost: a\r\nExpect: " + MARKER + "\r\nContent-Length: 5\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(417);
            assertThat(r.body()).isEqualTo("unsupported expectation\n");
            assertThat(r.raw()).doesNotContain(MARKER);
            assertThat(w.closedWithin(2000)).isTrue();
        }
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void expect100ContinueGetsAnInterim100ThenTheFinalResponse() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response interim = w.send("POST /api/upload HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n").read();
            assertThat(interim.status()).isEqualTo(100);
            Response r = w.send("hello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("received=5\n");
        }
    }

    @Test
    void expect100ContinueAnsweredLocallyWithoutA100ClosesTheConnection() throws Exception {
        // No 100 was sent, so an RFC 9110 client will not send the body: the connection cannot carry another
        // request (its next bytes would be taken as the 5-byte body), so the reply must say close and close.
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("POST /nowhere HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void curlUploadWithExpect100ContinueSucceeds() throws Exception {
        Curl.Result r = curl("-H", "Expect: 100-continue", "--expect100-timeout", "10",
                "--data-binary", "x".repeat(2048), gateway.url("/api/upload"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("received=2048\n");
    }

    // ------------------------------------------------------------------ 502 / 503

    @Test
    void refusedBackendConnectionGets502AndTheClientConnectionStaysUsable() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("GET /refused/" + MARKER + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).isEqualTo("upstream connect failed\n");
            assertThat(r.raw()).doesNotContain(MARKER);
            Response next = w.send("GET /api/json HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void backendThatFailedAConnectIsEjectedFor5sSoTheNextRequestGets503() throws Exception {
        long failedAt = System.nanoTime();
        Curl.Result first = curl(gateway.url("/ejected"));
        assertThat(first.status()).isEqualTo(502);
        assertThat(first.body()).isEqualTo("upstream connect failed\n");
        Curl.Result second = curl(gateway.url("/ejected"));
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.body()).isEqualTo("no healthy backend\n");
        // after the 5 s ejection the backend is tried again (and refuses again): 502, not 503
        long wait = 5_300 - (System.nanoTime() - failedAt) / 1_000_000;
        Thread.sleep(Math.max(0, wait));
        Curl.Result third = curl(gateway.url("/ejected"));
        assertThat(third.status()).isEqualTo(502);
    }

    @Test
    void backendClosingWithoutAnsweringGets502AndTheClientConnectionStaysUsable() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("GET /api/close HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).isEqualTo("upstream closed the connection\n");
            Response next = w.send("GET /api/json HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo(TestBackend.JSON);
        }
    }

    @Test
    void malformedBackendResponseGets502() throws Exception {
        Curl.Result r = curl(gateway.url("/bad"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("upstream sent a malformed response\n");
    }

    // ------------------------------------------------------------------ 504

    @Test
    void backendRequestTimeoutBeforeTheResponseHeadGets504() throws Exception {
        long start = System.nanoTime();
        Curl.Result r = curl(gateway.url("/bt/slow?ms=3000"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.body()).isEqualTo("upstream timed out\n");
        assertThat(millis).isLessThan(2500);
    }

    @Test
    void backendAnsweringWithinTheBackendTimeoutIsNotCut() throws Exception {
        Curl.Result r = curl(gateway.url("/bt/slow?ms=100"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("slow\n");
    }

    @Test
    void requestTimeoutGets504() throws Exception {
        long start = System.nanoTime();
        Curl.Result r = curl(gateway.url("/tt/slow?ms=3000"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.body()).isEqualTo("request timed out\n");
        assertThat(millis).isLessThan(2500);
    }

    // ------------------------------------------------------------------ retry

    @Test
    void retryOn503MakesThreeAttemptsThenRelaysThe503() throws Exception {
        int before = retryBackend.requests();
        Curl.Result r = curl(gateway.url("/retry/status/503"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("status 503\n");
        assertThat(retryBackend.requests() - before).isEqualTo(3);
    }

    @Test
    void statusNotListedForRetryIsRelayedAfterOneAttempt() throws Exception {
        int before = retryBackend.requests();
        Curl.Result r = curl(gateway.url("/retry/status/500"));
        assertThat(r.status()).isEqualTo(500);
        assertThat(retryBackend.requests() - before).isEqualTo(1);
    }

    @Test
    void routeWithoutRetryMakesOneAttempt() throws Exception {
        int before = backend.requests();
        Curl.Result r = curl(gateway.url("/api/status/503"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(backend.requests() - before).isEqualTo(1);
    }

    // ------------------------------------------------------------------ client

    /** Real curl, bounded to 5 s. */
    static Curl.Result curl(String... args) throws IOException, InterruptedException {
        return Curl.within(5, args);
    }

    /**
     * A backend that answers every request with fixed raw bytes and closes: for responses no real server sends,
     * and for request heads larger than {@link TestBackend} accepts (its decoder stops at 8 KiB of headers).
     */
    static final class RawBackend implements AutoCloseable {
        private final ServerSocket server;
        private volatile String lastHead = "";

        RawBackend(String response) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(5000);
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        StringBuilder head = new StringBuilder();
                        int c;
                        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
                            head.append((char) c);
                        }
                        lastHead = head.toString();
                        s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        // closed, or a client that went away
                    }
                }
            }, "raw-backend");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        /** The request head (request line and headers) of the most recent request. */
        String lastHead() {
            return lastHead;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** One parsed response. {@code raw} is the whole response as received (head and body). */
    public record Response(String version, int status, Map<String, String> headers, String body, String raw) {
        /** The header's value (repeated headers joined with ", "), or null; names are case-insensitive. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A raw client connection on 127.0.0.1 that reads one response at a time (Content-Length, chunked, or
     * until close), so keep-alive behaviour can be observed request by request. Reads time out after 5 s.
     */
    public static final class Wire implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private ByteArrayOutputStream raw;

        public Wire(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        public Wire send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /** Reads the next response (interim 1xx responses are returned on their own). */
        public Response read() throws IOException {
            return read(false);
        }

        /** Reads the response to a HEAD request: headers only, whatever they announce. */
        public Response readHead() throws IOException {
            return read(true);
        }

        private Response read(boolean head) throws IOException {
            socket.setSoTimeout(5000);
            raw = new ByteArrayOutputStream();
            String statusLine = line();
            if (statusLine == null) {
                throw new EOFException("connection closed before a response");
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            String line;
            while ((line = line()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
            String body;
            if (head || status < 200 || status == 204 || status == 304) {
                body = "";
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked();
            } else if (headers.containsKey("content-length")) {
                body = exactly(Integer.parseInt(headers.get("content-length")));
            } else {
                body = toClose();
            }
            return new Response(parts[0], status, headers, body, raw.toString(StandardCharsets.ISO_8859_1));
        }

        /** True when the peer closed the connection (or reset it) within the timeout. */
        public boolean closedWithin(int millis) throws IOException {
            socket.setSoTimeout(millis);
            try {
                while (true) {
                    if (in.read() < 0) {
                        return true;
                    }
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        /** Everything until the peer closes (or {@code millis} pass), as text. */
        public String readUntilClose(int millis) throws IOException {
            socket.setSoTimeout(millis);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                int n;
                while ((n = in.read(chunk)) > 0) {
                    all.write(chunk, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // what arrived so far
            } catch (IOException e) {
                // reset: what arrived so far
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }

        /** Bytes are waiting to be read. */
        public boolean hasData() throws IOException {
            return in.available() > 0;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                raw.write(c);
                if (c == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) c);
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        private String exactly(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            raw.write(b);
            if (b.length < n) {
                throw new EOFException("body ended after " + b.length + " of " + n + " bytes");
            }
            return new String(b, StandardCharsets.ISO_8859_1);
        }

        private String chunked() throws IOException {
            StringBuilder body = new StringBuilder();
            while (true) {
                String sizeLine = line();
                if (sizeLine == null) {
                    throw new EOFException("chunked body ended early");
                }
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    String trailer;
                    while ((trailer = line()) != null && !trailer.isEmpty()) {
                        // trailers ignored
                    }
                    return body.toString();
                }
                body.append(exactly(size));
                line();
            }
        }

        private String toClose() throws IOException {
            byte[] b = in.readAllBytes();
            raw.write(b);
            return new String(b, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
