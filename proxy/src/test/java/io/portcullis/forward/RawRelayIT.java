package io.portcullis.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.Curl;
import io.portcullis.testing.RawHttp;
import io.portcullis.testing.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fast path for whole Content-Length responses, end to end: a backend that writes scripted bytes (so hop-by-hop
 * lines, split writes and odd framing are exactly as written), a real gateway, and clients over raw sockets and
 * curl. What reaches the client must be the backend's response minus hop-by-hop headers, whichever path read it.
 */
class RawRelayIT {
    private static final String HOP_HEAD = "HTTP/1.1 200 OK\r\nX-End: 1\r\nConnection: keep-alive\r\n"
            + "Keep-Alive: timeout=30, max=100\r\nUpgrade: h2c\r\nContent-Type: text/plain\r\n"
            + "Proxy-Authenticate: Basic realm=\"x\"\r\nx-lower: Mixed Case  \r\nContent-Length: 11\r\n\r\n";
    private static final String HOP_RELAYED = "HTTP/1.1 200 OK\r\nX-End: 1\r\nContent-Type: text/plain\r\n"
            + "x-lower: Mixed Case  \r\nContent-Length: 11\r\n\r\nhello world";

    private static final String BIG = bigBody();

    private ScriptedBackend backend;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = new ScriptedBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: modified
                      matches:
                      - path: {pathPrefix: /mod}
                      policies:
                        responseHeaderModifier:
                          add: {x-added: yes}
                          remove: [x-drop]
                      backends:
                      - host: %1$s
                    - name: retried
                      matches:
                      - path: {pathPrefix: /retry}
                      policies:
                        retry: {attempts: 2, codes: [503], backoff: 10ms}
                      backends:
                      - host: %1$s
                    - name: default
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    /** What the backend writes for a request: {@code parts} written (and flushed) {@code gapMillis} apart. */
    record Reply(List<String> parts, int gapMillis) {
        static Reply of(String whole) {
            return new Reply(List.of(whole), 0);
        }
    }

    /** The scripted replies by path; {@code hit} counts the requests for that path, from 1. */
    private static Reply script(String method, String path, int hit) {
        if (path.startsWith("/n/")) {
            return numbered(Integer.parseInt(path.substring(3)));
        }
        switch (path) {
            case "/hop":
                return Reply.of(HOP_HEAD + "hello world");
            case "/plain":
                String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n";
                return Reply.of(method.equals("HEAD") ? head : head + "plain");
            case "/close":
                return Reply.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 6\r\n\r\nclosed");
            case "/mod":
                return Reply.of("HTTP/1.1 200 OK\r\nX-Drop: 1\r\nX-Kept: 2\r\nConnection: keep-alive\r\n"
                        + "Content-Length: 8\r\n\r\nmodified");
            case "/secret":
                return Reply.of("HTTP/1.1 200 OK\r\nConnection: x-secret\r\nX-Secret: 1\r\nX-Public: 2\r\n"
                        + "Content-Length: 6\r\n\r\npublic");
            case "/split":
                return new Reply(List.of("HTTP/1.1 200 OK\r\nX-Split: 1\r\nConn",
                        "ection: keep-alive\r\nContent-Length: 5\r\n\r\nsplit"), 50);
            case "/interim":
                return Reply.of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nX-Final: 1\r\nContent-Length: 5\r\n\r\nfinal");
            case "/big":
                return Reply.of("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: " + BIG.length()
                        + "\r\n\r\n" + BIG);
            case "/http10":
                return Reply.of("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 4\r\n\r\nold!");
            case "/http10-netty": // Connection names another header: Netty's decoder reads it, not the raw parser
                return Reply.of("HTTP/1.0 200 OK\r\nConnection: keep-alive, x-hop\r\nX-Hop: 1\r\n"
                        + "Content-Length: 4\r\n\r\nold!");
            case "/retry":
                return hit == 1
                        ? Reply.of("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy")
                        : Reply.of("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 9\r\n\r\nrecovered");
            default:
                return Reply.of("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    }

    private static String bigBody() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 300_000; i++) {
            sb.append(i).append(',');
        }
        return sb.toString();
    }

    /** Request i of a long run: four framings in turn, so that the decoder keeps switching between its paths. */
    private static Reply numbered(int i) {
        String body = "body-" + i + "-" + "x".repeat(i % 37);
        switch (i % 4) {
            case 0: // raw, with hop-by-hop lines to drop
                return Reply.of("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nX-N: " + i + "\r\nConnection: keep-alive\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            case 1: // chunked: Netty's path
                return Reply.of("HTTP/1.1 200 OK\r\nX-N: " + i + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
            case 2: // head in two writes: Netty's path
                return new Reply(List.of("HTTP/1.1 200 OK\r\nX-N: " + i + "\r\nContent-Le",
                        "ngth: " + body.length() + "\r\n\r\n" + body), 2);
            default: // raw, but the backend connection is not reused
                return Reply.of("HTTP/1.1 200 OK\r\nX-N: " + i + "\r\nConnection: close\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void hopByHopLinesAreDroppedAndEverythingElseArrivesByteExact() throws Exception {
        try (Client c = new Client(gateway.port())) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /hop HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse(false)).isEqualTo(HOP_RELAYED);
            }
        }
        Curl.Result r = Curl.run("-i", gateway.url("/hop"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).endsWith("\r\n\r\nhello world").contains("X-End: 1\r\n")
                .containsIgnoringCase("content-type: text/plain")
                .doesNotContainIgnoringCase("connection:")
                .doesNotContainIgnoringCase("keep-alive")
                .doesNotContainIgnoringCase("upgrade:")
                .doesNotContainIgnoringCase("proxy-authenticate");
    }

    @Test
    void backendConnectionCloseMeansANewBackendConnectionAndTheClientsStaysOpen() throws Exception {
        try (Client c = new Client(gateway.port())) {
            c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(false)).endsWith("\r\n\r\nplain");
            c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(false)).endsWith("\r\n\r\nplain");
            assertThat(backend.accepted()).as("a kept-alive backend connection is reused").isEqualTo(1);

            c.send("GET /close HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(false)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nclosed");
            // The backend left its socket open after saying close: only the gateway's choice makes a new one.
            c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(false)).endsWith("\r\n\r\nplain");
            assertThat(backend.accepted()).isEqualTo(2);
        }
    }

    @Test
    void http10ClientAskingForKeepAliveGetsItAndOneNotAskingGetsClose() throws Exception {
        try (Client c = new Client(gateway.port())) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /hop HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
                String response = c.readResponse(false);
                assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhello world")
                        .containsIgnoringCase("\r\nconnection: keep-alive\r\n")
                        .contains("X-End: 1\r\n")
                        .doesNotContainIgnoringCase("upgrade:")
                        .doesNotContainIgnoringCase("proxy-authenticate")
                        .doesNotContainIgnoringCase("timeout=30");
            }
        }
        try (RawHttp raw = new RawHttp(gateway.port())) {
            String all = raw.send("GET /hop HTTP/1.0\r\nHost: a\r\n\r\n").readUntilClose();
            assertThat(all).containsIgnoringCase("\r\nconnection: close\r\n").endsWith("\r\n\r\nhello world")
                    .doesNotContainIgnoringCase("keep-alive");
        }
    }

    @Test
    void http11ClientClosingGetsConnectionCloseAndTheBodyUnchanged() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            String all = raw.send("GET /hop HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readUntilClose();
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("\r\nconnection: close\r\n")
                    .endsWith("\r\n\r\nhello world").contains("X-End: 1\r\n")
                    .doesNotContainIgnoringCase("keep-alive").doesNotContainIgnoringCase("upgrade:");
        }
    }

    @Test
    void responseHeaderModifierStillApplies() throws Exception {
        Curl.Result r = Curl.run("-i", gateway.url("/mod"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).endsWith("\r\n\r\nmodified")
                .containsIgnoringCase("x-added: yes\r\n")
                .containsIgnoringCase("x-kept: 2\r\n")
                .doesNotContainIgnoringCase("x-drop")
                .doesNotContainIgnoringCase("connection:");
        try (Client c = new Client(gateway.port())) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /mod HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse(false)).containsIgnoringCase("x-added: yes\r\n")
                        .doesNotContainIgnoringCase("x-drop").endsWith("\r\n\r\nmodified");
            }
        }
    }

    @Test
    void headRequestGetsTheHeadersAndNoBody() throws Exception {
        try (Client c = new Client(gateway.port())) {
            c.send("HEAD /plain HTTP/1.1\r\nHost: a\r\n\r\n");
            String head = c.readResponse(true);
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n").containsIgnoringCase("content-length: 5");
            // Nothing else followed the head: the next response on the connection starts clean.
            c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(false)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nplain");
        }
        Curl.Result r = Curl.run("-I", gateway.url("/plain"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).containsIgnoringCase("content-length: 5").doesNotContain("plain\n");
    }

    @Test
    void headersNamedInTheBackendsConnectionHeaderAreRemoved() throws Exception {
        try (Client c = new Client(gateway.port())) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /secret HTTP/1.1\r\nHost: a\r\n\r\n");
                String response = c.readResponse(false);
                assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\npublic")
                        .containsIgnoringCase("x-public: 2\r\n")
                        .doesNotContainIgnoringCase("x-secret");
            }
        }
    }

    @Test
    void headArrivingInTwoWritesIsRelayedAndTheNextResponseIsExactAgain() throws Exception {
        try (Client c = new Client(gateway.port())) {
            c.send("GET /split HTTP/1.1\r\nHost: a\r\n\r\n");
            String split = c.readResponse(false);
            assertThat(split).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nsplit")
                    .containsIgnoringCase("x-split: 1\r\n")
                    .containsIgnoringCase("content-length: 5\r\n")
                    .doesNotContainIgnoringCase("connection");
            c.send("GET /hop HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(false)).isEqualTo(HOP_RELAYED);
        }
        assertThat(backend.accepted()).isEqualTo(1);
    }

    @Test
    void manySequentialRequestsOnOneConnectionAllGetTheirOwnResponse() throws Exception {
        int n = 200;
        try (Client c = new Client(gateway.port())) {
            for (int i = 0; i < n; i++) {
                c.send("GET /n/" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                String response = c.readResponse(false);
                String body = "body-" + i + "-" + "x".repeat(i % 37);
                assertThat(response).as("response %d", i).startsWith("HTTP/1.1 200 OK\r\n")
                        .contains("X-N: " + i + "\r\n")
                        .doesNotContainIgnoringCase("connection:")
                        .doesNotContainIgnoringCase("keep-alive");
                assertThat(Client.body(response)).as("body %d", i).isEqualTo(body);
            }
        }
        // The first backend connection, then a new one after each Connection: close (every fourth response) but the last.
        assertThat(backend.accepted()).isEqualTo(n / 4);
    }

    @Test
    void retryOnStatusDropsTheRaw503AndRelaysTheSecondAttempt() throws Exception {
        Curl.Result r = Curl.run("-i", gateway.url("/retry"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).endsWith("\r\n\r\nrecovered").doesNotContain("busy").doesNotContainIgnoringCase("keep-alive");
        assertThat(backend.hits("/retry")).isEqualTo(2);
    }

    @Test
    void interimResponsesInTheSameReadAreDroppedAndTheFinalOneRelayedExactly() throws Exception {
        try (Client c = new Client(gateway.port())) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /interim HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse(false)).isEqualTo("HTTP/1.1 200 OK\r\nX-Final: 1\r\nContent-Length: 5\r\n\r\nfinal");
            }
        }
    }

    @Test
    void pipelinedRequestsGetTheirRawResponsesInOrder() throws Exception {
        try (Client c = new Client(gateway.port())) {
            c.send("GET /hop HTTP/1.1\r\nHost: a\r\n\r\nGET /close HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /hop HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(false)).isEqualTo(HOP_RELAYED);
            assertThat(c.readResponse(false)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nclosed");
            assertThat(c.readResponse(false)).isEqualTo(HOP_RELAYED);
        }
    }

    @Test
    void largeBodyArrivesWholeAndTheConnectionStaysInStep() throws Exception {
        try (Client c = new Client(gateway.port())) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
                String response = c.readResponse(false);
                assertThat(response).doesNotContainIgnoringCase("connection:");
                assertThat(Client.body(response).equals(BIG)).as("body %d is the backend's", i).isTrue();
                c.send("GET /hop HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse(false)).isEqualTo(HOP_RELAYED);
            }
        }
    }

    /**
     * An intermediary sends its own HTTP version (RFC 9110 section 6.2). Relaying an HTTP/1.0 backend's status
     * line to an HTTP/1.1 client, with the backend's {@code Connection: keep-alive} taken off, tells the client
     * that the connection closes after this response while the gateway keeps it open.
     */
    @Test
    void http10BackendResponseReachesAnHttp11ClientAsHttp11() throws Exception {
        try (Client c = new Client(gateway.port())) {
            c.send("GET /http10 HTTP/1.1\r\nHost: a\r\n\r\n");
            String response = c.readResponse(false);
            assertThat(response).endsWith("\r\n\r\nold!");
            assertThat(response).startsWith("HTTP/1.1 200 ");
        }
    }

    /** The same for a response Netty's decoder reads (the raw parser leaves it alone). */
    @Test
    void http10BackendResponseDecodedByNettyReachesAnHttp11ClientAsHttp11() throws Exception {
        try (Client c = new Client(gateway.port())) {
            c.send("GET /http10-netty HTTP/1.1\r\nHost: a\r\n\r\n");
            String response = c.readResponse(false);
            assertThat(response).startsWith("HTTP/1.1 200 ").doesNotContainIgnoringCase("x-hop")
                    .endsWith("\r\n\r\nold!");
        }
    }

    // ------------------------------------------------------------------ the backend and the client

    /**
     * A backend on 127.0.0.1:0 that reads each request head and writes the {@link #script} reply for it, on daemon
     * threads; it never closes a connection itself (a {@code Connection: close} reply is only words).
     */
    static final class ScriptedBackend implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger accepted = new AtomicInteger();
        private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

        ScriptedBackend() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            Thread acceptor = new Thread(this::acceptLoop, "scripted-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String hostPort() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        int hits(String path) {
            AtomicInteger n = hits.get(path);
            return n == null ? 0 : n.get();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    sockets.add(s);
                    Thread t = new Thread(() -> serve(s), "scripted-backend-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                s.setSoTimeout(30_000);
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    String head = Client.readHead(in);
                    if (head == null) {
                        return;
                    }
                    String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
                    String path = requestLine[1];
                    int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                    Reply reply = script(requestLine[0], path, hit);
                    for (int i = 0; i < reply.parts().size(); i++) {
                        if (i > 0) {
                            Thread.sleep(reply.gapMillis());
                        }
                        out.write(reply.parts().get(i).getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                }
            } catch (SocketException e) {
                // the gateway closed the connection
            } catch (IOException | InterruptedException e) {
                // test over
            } finally {
                sockets.remove(s);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** A keep-alive client over one socket that reads one response at a time (Content-Length or chunked). */
    static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        Client(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        /** The next response, head and body as received (a chunked body with its framing). */
        String readResponse(boolean headRequest) throws IOException {
            String head = readHead(in);
            assertThat(head).as("a response head").isNotNull();
            if (headRequest) {
                return head;
            }
            String lower = head.toLowerCase(Locale.ROOT);
            if (lower.contains("\r\ntransfer-encoding: chunked\r\n")) {
                StringBuilder sb = new StringBuilder(head);
                while (true) {
                    String sizeLine = readLine(in);
                    sb.append(sizeLine).append("\r\n");
                    int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                    if (size == 0) {
                        String line;
                        while (!(line = readLine(in)).isEmpty()) {
                            sb.append(line).append("\r\n");
                        }
                        return sb.append("\r\n").toString();
                    }
                    sb.append(new String(in.readNBytes(size + 2), StandardCharsets.ISO_8859_1));
                }
            }
            int at = lower.indexOf("\r\ncontent-length:");
            assertThat(at).as("framing of %s", head).isGreaterThanOrEqualTo(0);
            int end = lower.indexOf("\r\n", at + 2);
            int length = Integer.parseInt(lower.substring(at + 17, end).trim());
            byte[] body = in.readNBytes(length);
            assertThat(body.length).as("body of %s", head).isEqualTo(length);
            return head + new String(body, StandardCharsets.ISO_8859_1);
        }

        /** The body of a response read by {@link #readResponse}, with any chunked framing taken off. */
        static String body(String response) {
            int start = response.indexOf("\r\n\r\n") + 4;
            String head = response.substring(0, start).toLowerCase(Locale.ROOT);
            String rest = response.substring(start);
            if (!head.contains("\r\ntransfer-encoding: chunked\r\n")) {
                return rest;
            }
            StringBuilder sb = new StringBuilder();
            int p = 0;
            while (true) {
                int eol = rest.indexOf("\r\n", p);
                int size = Integer.parseInt(rest.substring(p, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    return sb.toString();
                }
                sb.append(rest, eol + 2, eol + 2 + size);
                p = eol + 2 + size + 2;
            }
        }

        /** A head up to and including its blank line, or null when the stream ended before one began. */
        static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int state = 0; // how much of CRLF CRLF has been seen
            int b;
            while ((b = in.read()) >= 0) {
                buf.write(b);
                state = (b == '\r' && (state == 0 || state == 2)) ? state + 1
                        : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
                if (state == 4) {
                    return buf.toString(StandardCharsets.ISO_8859_1);
                }
            }
            if (buf.size() == 0) {
                return null;
            }
            throw new IOException("stream ended inside a head: " + buf.toString(StandardCharsets.ISO_8859_1));
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    String line = buf.toString(StandardCharsets.ISO_8859_1);
                    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                }
                buf.write(b);
            }
            throw new IOException("stream ended inside a line");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
