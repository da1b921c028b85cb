package io.portcullis.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.ErrorStatusIT.Response;
import io.portcullis.server.ErrorStatusIT.Wire;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code localRateLimit} through a real gateway socket and a real backend. Buckets refill hourly, so nothing
 * refills during a test; each test uses its own route so that tests do not share buckets. Two worker threads:
 * requests on separate connections land on different event loops, which share the route's buckets.
 */
@Timeout(30)
class LocalRateLimitIT {
    static TestBackend backend;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 2
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: five-per-hour
                      matches:
                      - path: {pathPrefix: /five}
                      backends:
                      - host: %1$s
                      policies:
                        localRateLimit:
                        - {maxTokens: 5, tokensPerFill: 1, fillInterval: 1h}
                    - name: per-user
                      matches:
                      - path: {pathPrefix: /per-user}
                      backends:
                      - host: %1$s
                      policies:
                        localRateLimit:
                        - {maxTokens: 2, tokensPerFill: 1, fillInterval: 1h, key: {header: x-user}}
                    - name: one-per-hour
                      matches:
                      - path: {pathPrefix: /one}
                      backends:
                      - host: %1$s
                      policies:
                        localRateLimit:
                        - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1h}
                    - name: unlimited
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort()));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    @Test
    void fiveRequestsReachTheBackendAndTheSixthIs429WithRateLimitHeaders() throws IOException {
        int before = backend.requests();
        for (int i = 0; i < 5; i++) {
            Response ok = get("/five", null); // a new connection each time: spread over both event loops
            assertThat(ok.status()).as("request %d", i + 1).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(TestBackend.JSON);
        }

        Response refused = get("/five", null);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("x-ratelimit-limit")).isEqualTo("5");
        assertThat(refused.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(Integer.parseInt(refused.header("x-ratelimit-reset"))).isBetween(3590, 3600);
        assertThat(refused.header("retry-after")).isEqualTo(refused.header("x-ratelimit-reset"));
        assertThat(refused.body()).isEqualTo("rate limit exceeded\n");
        assertThat(backend.requests() - before).as("the 429 never reached the backend").isEqualTo(5);
    }

    @Test
    void clientsKeyedByHeaderHaveIndependentBuckets() throws IOException {
        int before = backend.requests();
        for (String user : new String[] {"alice", "bob"}) {
            assertThat(get("/per-user", user).status()).as(user).isEqualTo(200);
            assertThat(get("/per-user", user).status()).as(user).isEqualTo(200);
            Response refused = get("/per-user", user);
            assertThat(refused.status()).as(user).isEqualTo(429);
            assertThat(refused.header("x-ratelimit-limit")).isEqualTo("2");
        }
        // Without the header, the client is keyed by its IP: a bucket of its own, not alice's or bob's.
        assertThat(get("/per-user", null).status()).isEqualTo(200);
        assertThat(get("/per-user", null).status()).isEqualTo(200);
        assertThat(get("/per-user", null).status()).isEqualTo(429);
        // ... and a header value that spells that IP is yet another client.
        assertThat(get("/per-user", "127.0.0.1").status()).isEqualTo(200);

        assertThat(backend.requests() - before).isEqualTo(7);
    }

    @Test
    void aRefusedRequestKeepsTheConnectionUsableAndItsBodyIsDiscarded() throws IOException {
        int before = backend.requests();
        try (Wire wire = new Wire(gateway.port())) {
            wire.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(wire.read().status()).isEqualTo(200);

            wire.send("POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
            Response refused = wire.read();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("connection")).isNull();

            wire.send("GET /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(wire.read().status()).isEqualTo(200);
        }
        assertThat(backend.requests() - before).isEqualTo(2);
        assertThat(backend.lastRequest().uri()).isEqualTo("/elsewhere");
    }

    /** One request on its own connection; {@code user} is sent as {@code x-user} unless null. */
    private static Response get(String path, String user) throws IOException {
        try (Wire wire = new Wire(gateway.port())) {
            wire.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + (user == null ? "" : "x-user: " + user + "\r\n")
                    + "Connection: close\r\n\r\n");
            return wire.read();
        }
    }
}
