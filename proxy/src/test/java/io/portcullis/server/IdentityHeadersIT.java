package io.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.Curl;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import org.junit.jupiter.api.Test;

/**
 * Seed 000: X-Remote-User / X-Forwarded-User name the user to backends, so they pass only from the
 * authenticating proxies listed in {@code trustedIdentityProxies}; from any other client they are removed.
 */
class IdentityHeadersIT {

    private static String config(String trusted, TestBackend backend) {
        return (trusted == null ? "" : "frontendPolicies:\n  http:\n    trustedIdentityProxies: [" + trusted + "]\n")
                + "binds:\n- port: 0\n  listeners:\n  - routes:\n    - backends:\n      - host: " + backend.hostPort() + "\n";
    }

    private static String forwardedHeaders(RunningGateway gw) throws Exception {
        Curl.Result r = Curl.run("-sS", "-H", "X-Remote-User: admin", "-H", "X-Forwarded-User: root",
                "-H", "X-Other: kept", gw.url("/headers"));
        assertThat(r.status()).isEqualTo(200);
        return r.body().toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void untrustedClientCannotNameTheUser() throws Exception {
        try (TestBackend backend = new TestBackend(); RunningGateway gw = RunningGateway.start(config(null, backend))) {
            String seen = forwardedHeaders(gw);
            assertThat(seen).contains("x-other: kept").doesNotContain("x-remote-user").doesNotContain("x-forwarded-user");
        }
    }

    @Test
    void clientOutsideTheTrustedCidrsCannotNameTheUser() throws Exception {
        try (TestBackend backend = new TestBackend(); RunningGateway gw = RunningGateway.start(config("10.0.0.0/8", backend))) {
            assertThat(forwardedHeaders(gw)).doesNotContain("x-remote-user").doesNotContain("x-forwarded-user");
        }
    }

    @Test
    void trustedProxyPassesTheUserThrough() throws Exception {
        try (TestBackend backend = new TestBackend(); RunningGateway gw = RunningGateway.start(config("127.0.0.1/32", backend))) {
            assertThat(forwardedHeaders(gw)).contains("x-remote-user: admin").contains("x-forwarded-user: root");
        }
    }
}
