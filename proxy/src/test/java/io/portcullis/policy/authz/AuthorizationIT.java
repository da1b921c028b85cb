package io.portcullis.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.ErrorStatusIT.Response;
import io.portcullis.server.ErrorStatusIT.Wire;
import io.portcullis.testing.Curl;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code authorization} through a real gateway socket: an allowed request reaches the backend, a denied one
 * gets the 403 locally and never does. The rules read the request head and the client address (the token's
 * claims are covered by the unit tests).
 */
@Timeout(30)
class AuthorizationIT {
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
                    - name: admin
                      matches:
                      - path: {pathPrefix: /admin}
                      policies:
                        authorization:
                          rules:
                          - request.headers["x-role"] == "admin"
                      backends:
                      - host: %1$s
                    - name: no-delete-local-only
                      matches:
                      - path: {pathPrefix: /items}
                      policies:
                        authorization:
                          rules:
                          - deny: request.method == "DELETE"
                          - require: source.address == "127.0.0.1"
                      backends:
                      - host: %1$s
                    - name: lan-only
                      matches:
                      - path: {pathPrefix: /lan}
                      policies:
                        authorization:
                          rules:
                          - require: source.address.startsWith("10.")
                      backends:
                      - host: %1$s
                    - name: open
                      matches:
                      - path: {pathPrefix: /open}
                      policies:
                        authorization:
                          rules: []
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    private static Curl.Result curl(String... args) throws IOException, InterruptedException {
        return Curl.within(5, args);
    }

    /** Runs curl and returns its result, asserting on the way whether the backend saw the request. */
    private static Curl.Result expectBackend(boolean reached, String... args) throws IOException, InterruptedException {
        int before = backend.requests();
        Curl.Result r = curl(args);
        assertThat(backend.requests() - before).as("requests that reached the backend").isEqualTo(reached ? 1 : 0);
        return r;
    }

    @Test
    void anAllowRuleOnAHeaderLetsTheRequestThrough() throws Exception {
        Curl.Result r = expectBackend(true, "-H", "X-Role: admin", gateway.url("/admin/users"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
    }

    @Test
    void withoutTheHeaderTheRequestIsForbiddenLocally() throws Exception {
        Curl.Result missing = expectBackend(false, gateway.url("/admin/users"));
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).isEqualTo("forbidden\n");
        Curl.Result wrong = expectBackend(false, "-H", "x-role: user", gateway.url("/admin/users"));
        assertThat(wrong.status()).isEqualTo(403);
    }

    @Test
    void denyAndRequireOnMethodAndSourceAddress() throws Exception {
        assertThat(expectBackend(true, gateway.url("/items/1")).status()).isEqualTo(200);
        assertThat(expectBackend(true, "-X", "POST", "-d", "{}", gateway.url("/items")).status()).isEqualTo(200);
        assertThat(expectBackend(false, "-X", "DELETE", gateway.url("/items/1")).status()).isEqualTo(403);
    }

    @Test
    void aRequireRuleTheClientAddressFailsForbidsEverything() throws Exception {
        assertThat(expectBackend(false, gateway.url("/lan")).status()).isEqualTo(403);
        assertThat(expectBackend(false, "-H", "X-Role: admin", "-H", "X-Forwarded-For: 10.0.0.1", gateway.url("/lan")).status())
                .as("source.address is the socket's peer, not a header").isEqualTo(403);
    }

    @Test
    void noRulesLetEverythingThrough() throws Exception {
        assertThat(expectBackend(true, "-X", "DELETE", gateway.url("/open")).status()).isEqualTo(200);
    }

    @Test
    void aDeniedRequestWithABodyKeepsTheConnectionUsable() throws Exception {
        int before = backend.requests();
        try (Wire wire = new Wire(gateway.port())) {
            String body = "{\"payload\":\"" + "x".repeat(2000) + "\"}";
            Response denied = wire.send("POST /admin/users HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).read();
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo("forbidden\n");
            Response allowed = wire.send("GET /admin/users HTTP/1.1\r\nHost: gw\r\nX-Role: admin\r\n\r\n").read();
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo(TestBackend.JSON);
        }
        assertThat(backend.requests() - before).as("only the allowed request reached the backend").isEqualTo(1);
    }
}
