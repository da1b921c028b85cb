package io.portcullis.forward;

import static io.portcullis.testing.JwtTools.jwk;
import static io.portcullis.testing.JwtTools.map;
import static io.portcullis.testing.JwtTools.now;
import static io.portcullis.testing.JwtTools.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.JwtTools;
import io.portcullis.testing.Python;
import io.portcullis.testing.RawHttp;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.WebSocketEchoBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket through the gateway with a real client (Debian's python3-websockets) and a Netty echo server:
 * the upgrade request is routed and passes the route's policies, the backend's 101 turns both connections
 * into a frame relay (text, binary, large and fragmented messages, the close handshake), a non-101 answer
 * stays an ordinary response, and the idle and message-size limits close the tunnel with 1001 / 1009.
 */
@Timeout(120)
class WebSocketIT {
    static final String ISSUER = "https://issuer.portcullis.test";
    static final int MAX_MESSAGE = 1024 * 1024;

    @TempDir
    static Path dir;
    static String token;
    static WebSocketEchoBackend backend;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Path key = JwtTools.ecP256(dir, "issuer");
        long now = now();
        token = JwtTools.mint(spec("ES256", key, map("kid", "k1"),
                map("iss", ISSUER, "sub", "alice", "iat", now, "exp", now + 600)));
        String jwks = JwtTools.jwks(List.of(jwk(key, "k1", "ES256")));
        backend = new WebSocketEchoBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                frontendPolicies:
                  http:
                    websocketIdleTimeout: 2s
                    websocketMaxMessageSize: 1Mi
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: secure
                      matches:
                      - path: {pathPrefix: /secure}
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: h2-backend
                      matches:
                      - path: {pathPrefix: /h2}
                      backends:
                      - host: %1$s
                        policies:
                          http: {version: HTTP/2.0}
                    - name: ws
                      policies:
                        responseHeaderModifier: {set: {x-served-by: portcullis}}
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort(), ISSUER, jwks));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    static Map<String, Object> client(String mode, String path, String... rest) throws Exception {
        List<String> command = new ArrayList<>(List.of(Python.PYTHON, Python.resources("ws/ws_client.py").toString(),
                mode, "ws://127.0.0.1:" + gateway.port() + path));
        command.addAll(List.of(rest));
        return JSONObjectUtils.parse(Python.run(command).trim()); // numbers are Longs
    }

    @Test
    void messagesRoundTripThroughTheTunnelAndTheCloseHandshakeCompletes() throws Exception {
        int before = backend.connections();
        Map<String, Object> out = client("echo", "/chat");
        assertThat(out).containsEntry("text", "hello through the gateway")
                .containsEntry("binary", true)
                .containsEntry("large", 700_000L)
                .containsEntry("fragmented", "part one, part two, part three")
                .containsEntry("close_code", 1000L);
        assertThat(backend.lastHandshake().get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(backend.lastHandshake().get("upgrade")).isEqualToIgnoringCase("websocket");
        // A tunnelled connection never goes back to the pool: the next session opens its own.
        assertThat(client("echo", "/chat")).containsEntry("close_code", 1000L);
        assertThat(backend.connections()).isEqualTo(before + 2);
    }

    @Test
    void theHandshakeGoesInHttp11EvenToABackendSetToHttp2() throws Exception {
        assertThat(client("echo", "/h2/chat")).containsEntry("close_code", 1000L)
                .containsEntry("text", "hello through the gateway");
    }

    @Test
    void theUpgradeRequestPassesThePoliciesOfItsRoute() throws Exception {
        assertThat(client("echo", "/secure/chat")).containsEntry("status", 401L);
        assertThat(client("echo", "/secure/chat", token)).containsEntry("close_code", 1000L)
                .containsEntry("text", "hello through the gateway");
        assertThat(backend.lastHandshake().get("authorization")).isNull(); // the token stays at the gateway
    }

    @Test
    void aHandshakeResponseWithHeadersModifiedLikeAnyResponse() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            String head = raw.send("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .readAll(3000, 1024);
            assertThat(head).startsWith("HTTP/1.1 101 ")
                    .containsIgnoringCase("upgrade: websocket")
                    .containsIgnoringCase("connection: upgrade")
                    .containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                    .containsIgnoringCase("x-served-by: portcullis");
        }
    }

    @Test
    void aRefusedHandshakeIsAnOrdinaryResponseAndEndsTheConnection() throws Exception {
        assertThat(client("echo", "/deny/chat")).containsEntry("status", 403L);
        try (RawHttp raw = new RawHttp(gateway.port())) {
            // Bytes after a refused handshake are never read as another request.
            String reply = raw.send("GET /deny HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                    + "GET /chat HTTP/1.1\r\nHost: x\r\n\r\n").readUntilClose();
            assertThat(reply).startsWith("HTTP/1.1 403 ").containsIgnoringCase("connection: close")
                    .contains("denied").doesNotContain("HTTP/1.1 200").doesNotContain("HTTP/1.1 101");
        }
    }

    @Test
    void anIdleTunnelIsClosedWithGoingAway() throws Exception {
        assertThat(client("idle", "/chat")).containsEntry("close_code", 1001L);
    }

    @Test
    void aDrainingGatewayClosesOpenTunnelsWithGoingAway() throws Exception {
        RunningGateway draining = RunningGateway.start("""
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - backends:
                      - host: %s
                """.formatted(backend.hostPort()));
        CompletableFuture<Map<String, Object>> idle;
        try {
            int before = backend.connections();
            List<String> command = List.of(Python.PYTHON, Python.resources("ws/ws_client.py").toString(), "idle",
                    "ws://127.0.0.1:" + draining.port() + "/chat");
            idle = CompletableFuture.supplyAsync(() -> {
                try {
                    return JSONObjectUtils.parse(Python.run(command).trim());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (backend.connections() == before && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500); // the 101 on its way back: drained before or after the switch, the tunnel is told
        } finally {
            draining.server().drain(10_000); // without a close frame from the drain the client would see 1006
            draining.close();
        }
        assertThat(idle.get(20, TimeUnit.SECONDS)).containsEntry("close_code", 1001L);
    }

    @Test
    void aFrameOverTheLimitClosesWithMessageTooBig() throws Exception {
        assertThat(client("too-big", "/chat", "", String.valueOf(MAX_MESSAGE + 1))).containsEntry("close_code", 1009L);
    }

    @Test
    void aFragmentedMessageOverTheLimitClosesWithMessageTooBig() throws Exception {
        assertThat(client("too-big-fragmented", "/chat", "", String.valueOf(MAX_MESSAGE + 65536)))
                .containsEntry("close_code", 1009L);
    }
}
