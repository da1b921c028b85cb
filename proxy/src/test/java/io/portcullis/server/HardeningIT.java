package io.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.ErrorStatusIT.Response;
import io.portcullis.server.ErrorStatusIT.Wire;
import io.portcullis.testing.Curl;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hardening limits of the design, each shown from both sides over real sockets: a request just inside a
 * limit is served, one just outside gets the error. {@code tight} configures every limit small,
 * {@code defaults} configures none (the design's defaults apply).
 */
@Timeout(30)
class HardeningIT {
    static TestBackend backend;
    /** Takes request heads of any size (TestBackend's decoder stops at 8 KiB). */
    static ErrorStatusIT.RawBackend bigHeads;
    /** Small configured limits: line 1 KiB, headers 2 KiB / 10 fields, body 4 KiB, head 1 s, idle 2 s, 3 requests. */
    static RunningGateway tight;
    /** No frontendPolicies at all. */
    static RunningGateway defaults;
    /** trustedProxies contains the test's own address. */
    static RunningGateway trusting;
    /** Idle timeout (1 s) shorter than the default head timeout (10 s). */
    static RunningGateway shortIdle;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend();
        tight = RunningGateway.start("""
                config:
                  workerThreads: 1
                frontendPolicies:
                  http:
                    maxRequestLineSize: 1Ki
                    maxHeaderSize: 2Ki
                    http1MaxHeaders: 10
                    maxRequestBodySize: 4Ki
                    requestHeaderTimeout: 1s
                    http1IdleTimeout: 2s
                    maxRequestsPerConnection: 3
                    trustedProxies: [10.0.0.0/8]
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: big
                      matches:
                      - path: {exact: /big}
                      policies:
                        maxRequestBodySize: 16Ki
                        urlRewrite:
                          path: {full: /upload}
                      backends:
                      - host: %1$s
                    - name: local
                      matches:
                      - path: {exact: /local}
                      policies:
                        directResponse: {status: 200, body: "local"}
                    - name: all
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort()));
        bigHeads = new ErrorStatusIT.RawBackend("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        defaults = RunningGateway.start("""
                config:
                  workerThreads: 1
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: upload
                      matches:
                      - path: {exact: /upload}
                      backends:
                      - host: %s
                    - name: big-heads
                      backends:
                      - host: 127.0.0.1:%d
                """.formatted(backend.hostPort(), bigHeads.port()));
        trusting = RunningGateway.start(simple("""
                frontendPolicies:
                  http:
                    trustedProxies: [127.0.0.1/32]
                """));
        shortIdle = RunningGateway.start(simple("""
                frontendPolicies:
                  http:
                    http1IdleTimeout: 1s
                """));
    }

    private static String simple(String frontend) {
        return """
                config:
                  workerThreads: 1
                %s
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: all
                      backends:
                      - host: %s
                """.formatted(frontend, backend.hostPort());
    }

    @AfterAll
    static void stop() throws IOException {
        bigHeads.close();
        tight.close();
        defaults.close();
        trusting.close();
        shortIdle.close();
        backend.close();
    }

    private static Response once(RunningGateway gateway, String request) throws IOException {
        try (Wire w = new Wire(gateway.port())) {
            return w.send(request).read();
        }
    }

    /** A GET whose request line (without CRLF) is exactly {@code length} bytes. */
    private static String getWithLineLength(int length) {
        String prefix = "GET /json?pad=";
        String suffix = " HTTP/1.1";
        return prefix + "p".repeat(length - prefix.length() - suffix.length()) + suffix + "\r\nHost: a\r\n\r\n";
    }

    /** A GET with Host plus {@code fields - 1} more header fields. */
    private static String getWithFields(int fields) {
        StringBuilder sb = new StringBuilder("GET /json HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < fields; i++) {
            sb.append("X-F").append(i).append(": v\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** A GET with Host plus {@code bytes / fieldBytes} fields of {@code fieldBytes} bytes each (CRLF included). */
    private static String getWithHeaderBytes(int bytes, int fieldBytes) {
        StringBuilder sb = new StringBuilder("GET /json HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < bytes / fieldBytes; i++) {
            sb.append(String.format("X-Pad-%03d: ", i)).append("h".repeat(fieldBytes - 13)).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    private static String postUpload(String path, int length) {
        return "POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\n" + "b".repeat(length);
    }

    // ------------------------------------------------------------------ configured size limits

    @Test
    void requestLineUnderTheConfiguredLimitIsServed() throws Exception {
        Response r = once(tight, getWithLineLength(1000));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
    }

    @Test
    void requestLineOverTheConfiguredLimitGets414AndClose() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send(getWithLineLength(1100)).read();
            assertThat(r.status()).isEqualTo(414);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void headerBlockUnderTheConfiguredLimitIsServed() throws Exception {
        Response r = once(tight, getWithHeaderBytes(900, 100)); // 9 fields + Host
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void headerBlockOverTheConfiguredLimitGets431AndClose() throws Exception {
        // 9 fields of 250 bytes: within the field count, over the byte limit
        StringBuilder sb = new StringBuilder("GET /json HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 9; i++) {
            sb.append("X-Big").append(i).append(": ").append("h".repeat(250)).append("\r\n");
        }
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send(sb.append("\r\n").toString()).read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void headerFieldCountAtTheConfiguredLimitIsServed() throws Exception {
        assertThat(once(tight, getWithFields(10)).status()).isEqualTo(200);
    }

    @Test
    void headerFieldCountOverTheConfiguredLimitGets431AndClose() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send(getWithFields(11)).read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.body()).isEqualTo("request headers too large\n");
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void bodyAtTheConfiguredLimitIsForwarded() throws Exception {
        Response r = once(tight, postUpload("/upload", 4096));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("received=4096\n");
    }

    @Test
    void bodyOneByteOverTheConfiguredLimitGets413() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 4097\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void routeBodyLimitOverridesTheFrontendDefault() throws Exception {
        Response r = once(tight, postUpload("/big", 10_000));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("received=10000\n");
    }

    // ------------------------------------------------------------------ default size limits

    @Test
    void requestLineJustUnderTheDefault8KiBIsServed() throws Exception {
        String request = getWithLineLength(8 * 1024 - 64);
        assertThat(once(defaults, request).status()).isEqualTo(200);
        assertThat(bigHeads.lastHead()).startsWith(request.substring(0, request.indexOf('\r')) + "\r\n");
    }

    @Test
    void requestLineJustOverTheDefault8KiBGets414() throws Exception {
        assertThat(once(defaults, getWithLineLength(8 * 1024 + 64)).status()).isEqualTo(414);
    }

    @Test
    void headerBlockJustUnderTheDefault32KiBIsServed() throws Exception {
        assertThat(once(defaults, getWithHeaderBytes(31 * 1024, 1024)).status()).isEqualTo(200);
        assertThat(bigHeads.lastHead()).containsIgnoringCase("X-Pad-030: hhh").hasSizeGreaterThan(31 * 1024);
    }

    @Test
    void headerBlockJustOverTheDefault32KiBGets431() throws Exception {
        // 40 fields of 900 bytes: within the field count, over the byte limit
        StringBuilder sb = new StringBuilder("GET /json HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 40; i++) {
            sb.append("X-Big").append(i).append(": ").append("h".repeat(900)).append("\r\n");
        }
        assertThat(once(defaults, sb.append("\r\n").toString()).status()).isEqualTo(431);
    }

    @Test
    void default100HeaderFieldsAreServed() throws Exception {
        assertThat(once(defaults, getWithFields(100)).status()).isEqualTo(200);
        assertThat(bigHeads.lastHead()).containsIgnoringCase("X-F99: v\r\n");
    }

    @Test
    void default101stHeaderFieldGets431() throws Exception {
        assertThat(once(defaults, getWithFields(101)).status()).isEqualTo(431);
    }

    @Test
    void bodyOfExactlyTheDefault1MiBIsForwarded() throws Exception {
        Response r = once(defaults, postUpload("/upload", 1024 * 1024));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("received=1048576\n");
    }

    @Test
    void bodyOneByteOverTheDefault1MiBGets413() throws Exception {
        Response r = once(defaults, "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n");
        assertThat(r.status()).isEqualTo(413);
    }

    @Test
    void requestHeadOf3KiBIsServed() throws Exception {
        // e.g. a large bearer token plus cookies; more than one socket read on a fresh connection
        assertThat(once(defaults, getWithHeaderBytes(3 * 1024, 1024)).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ time limits

    @Test
    void clientThatConnectsAndSendsNothingIsClosedAfterTheHeadTimeout() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            long start = System.nanoTime();
            assertThat(w.closedWithin(600)).as("still open before the 1s head timeout").isFalse();
            assertThat(w.closedWithin(3000)).as("closed after the head timeout").isTrue();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isBetween(900L, 3000L);
        }
    }

    @Test
    void headTrickledByteByByteGets408WhenTheHeadTimeoutPasses() throws Exception {
        String head = "GET /json HTTP/1.1\r\nHost: a\r\nX-Slow: " + "s".repeat(200);
        try (Wire w = new Wire(tight.port())) {
            long start = System.nanoTime();
            for (int i = 0; i < head.length() && !w.hasData(); i++) {
                w.send(head.substring(i, i + 1));
                Thread.sleep(100);
                if (System.nanoTime() - start > 4_000_000_000L) {
                    break;
                }
            }
            Response r = w.read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(millis).as("bytes kept coming, the head timeout still applied").isBetween(900L, 3500L);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void headSplitAcrossTwoSegmentsWithinTheTimeoutIsServed() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            w.send("GET /json HTTP/1.1\r\n");
            Thread.sleep(200);
            Response r = w.send("Host: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestBackend.JSON);
        }
    }

    @Test
    void bodySentAfterTheHeadIsForwarded() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            w.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
            Thread.sleep(200);
            Response r = w.send("hello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("received=5\n");
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            assertThat(w.send("GET /json HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(w.closedWithin(1400)).as("open for longer than the 1s head timeout").isFalse();
            assertThat(w.closedWithin(3000)).as("closed after the 2s idle timeout").isTrue();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isBetween(1900L, 4000L);
        }
    }

    @Test
    void idleTimeoutShorterThanTheHeadTimeoutIsEnforcedOnTime() throws Exception {
        try (Wire w = new Wire(shortIdle.port())) {
            assertThat(w.send("GET /json HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(w.closedWithin(3000)).as("closed within 3s by the 1s idle timeout").isTrue();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isGreaterThanOrEqualTo(900L);
        }
    }

    // ------------------------------------------------------------------ requests per connection

    @Test
    void lastAllowedRequestOnAConnectionCarriesConnectionCloseAndTheSocketCloses() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            for (int i = 1; i <= 2; i++) {
                Response r = w.send("GET /json HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("connection")).as("request %d", i).isNull();
            }
            Response third = w.send("GET /json HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(third.status()).isEqualTo(200);
            assertThat(third.body()).isEqualTo(TestBackend.JSON);
            assertThat(third.header("connection")).isEqualToIgnoringCase("close");
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    // ------------------------------------------------------------------ forwarding headers

    @Test
    void forwardedForFromAnUntrustedPeerIsReplacedByThePeerAddress() throws Exception {
        // tight trusts 10.0.0.0/8 only
        Curl.Result r = Curl.run("--max-time", "5", "-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Forwarded-Proto: https",
                tight.url("/headers"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("x-forwarded-for: 127.0.0.1\n").contains("x-forwarded-proto: http\n")
                .doesNotContain("6.6.6.6").doesNotContain("https");
    }

    @Test
    void forwardedForFromATrustedPeerIsExtended() throws Exception {
        Curl.Result r = Curl.run("--max-time", "5", "-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Forwarded-Proto: https",
                trusting.url("/headers"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("x-forwarded-for: 6.6.6.6, 127.0.0.1\n").contains("x-forwarded-proto: https\n");
    }

    @Test
    void forwardedForIsAddedWhenATrustedPeerSendsNone() throws Exception {
        Curl.Result r = Curl.run("--max-time", "5", trusting.url("/headers"));
        assertThat(r.body()).contains("x-forwarded-for: 127.0.0.1\n").contains("x-forwarded-proto: http\n");
    }

    @Test
    void hopByHopRequestHeadersAreNotForwarded() throws Exception {
        Response r = once(tight, "GET /headers HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Private\r\n"
                + "X-Private: p\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nUpgrade: websocket\r\n"
                + "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Kept: k\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("x-kept: k\n")
                .doesNotContain("x-private").doesNotContain("keep-alive").doesNotContain("\nte:")
                .doesNotContain("upgrade").doesNotContain("proxy-connection").doesNotContain("Zm9vOmJhcg");
    }

    // ------------------------------------------------------------------ strict framing

    static Stream<Arguments> badFraming() {
        return Stream.of(
                Arguments.of("NUL in a header name",
                        "GET /json HTTP/1.1\r\nHost: a\r\nX-\0A: b\r\n\r\n"),
                Arguments.of("CR inside a header name",
                        "GET /json HTTP/1.1\r\nHost: a\r\nX-\rA: b\r\n\r\n"),
                Arguments.of("space inside a header name",
                        "GET /json HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n"),
                Arguments.of("non-numeric Content-Length",
                        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n"),
                Arguments.of("negative Content-Length",
                        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"),
                Arguments.of("Content-Length list with repeated value",
                        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello"),
                Arguments.of("Transfer-Encoding that only resembles chunked",
                        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("bare CR inside a header value",
                        "GET /headers HTTP/1.1\r\nHost: a\r\nX-A: b\rX-Injected: c\r\n\r\n"),
                Arguments.of("NUL inside a header value",
                        "GET /headers HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n"),
                Arguments.of("Transfer-Encoding on HTTP/1.0",
                        "POST /upload HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("Transfer-Encoding identity",
                        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\nhello"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFraming")
    void badFramingGets400AndClose(String what, String request) throws Exception {
        int before = backend.requests();
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send(request).read();
            assertThat(r.status()).as(what).isEqualTo(400);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(w.closedWithin(2000)).isTrue();
        }
        assertThat(backend.requests()).as("nothing forwarded").isEqualTo(before);
    }

    @Test
    void emptyHostFollowedByASecondHostGets400() throws Exception {
        int before = backend.requests();
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send("GET /json HTTP/1.1\r\nHost:\r\nHost: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(w.closedWithin(2000)).isTrue();
        }
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void obsFoldedHeaderGets400() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send("GET /headers HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  folded\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void transferEncodingListOtherThanChunkedAloneGets400() throws Exception {
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send("POST /headers HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void declaredBodyThatNeverArrivesAfterALocalReplyDoesNotHoldTheConnectionPastTheIdleTimeout() throws Exception {
        // /local is answered by a directResponse; the gateway then waits to discard the 5 declared bytes
        try (Wire w = new Wire(tight.port())) {
            Response r = w.send("POST /local HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("local");
            assertThat(w.closedWithin(4000)).as("closed by the 1s head / 2s idle limits").isTrue();
        }
    }

    @Test
    void bareLfChunkSizeLineEndsTheRequestWithoutForwardingAWholeBody() throws Exception {
        int before = backend.requests();
        try (Wire w = new Wire(tight.port())) {
            String all = w.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\nhello\n0\n\n").readUntilClose(3000);
            assertThat(all).doesNotContain("received=");
            if (!all.isEmpty()) {
                assertThat(all).startsWith("HTTP/1.1 400");
            }
            assertThat(w.closedWithin(100)).as("connection closed").isTrue();
        }
        assertThat(backend.requests() - before).isLessThanOrEqualTo(1);
    }
}
