package io.portcullis.policy.ratelimit;

import static io.portcullis.policy.ratelimit.Requests.from;
import static io.portcullis.policy.ratelimit.Requests.withClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.policy.RateLimitConfig.RateLimitKeyConfig;
import io.portcullis.policy.ratelimit.ClientKey.PeerIp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientKeyTest {
    private static final ClientKey SUB = ClientKey.of(new RateLimitKeyConfig("sub", null, null));
    private static final ClientKey X_USER = ClientKey.of(new RateLimitKeyConfig(null, "X-User", null));
    private static final ClientKey IP = ClientKey.of(new RateLimitKeyConfig(null, null, true));

    @Test
    void claimKeyIsTheTopLevelClaimValue() {
        assertThat(SUB.keyOf(withClaims("10.0.0.1", Map.of("sub", "alice", "iss", "https://idp")))).isEqualTo("alice");
        assertThat(SUB.keyOf(withClaims("10.0.0.2", Map.of("sub", "alice")))).isEqualTo("alice");
    }

    @Test
    void numericAndBooleanClaimsAreKeyedByTheirText() {
        assertThat(SUB.keyOf(withClaims("10.0.0.1", Map.of("sub", 42L)))).isEqualTo("42");
        assertThat(SUB.keyOf(withClaims("10.0.0.1", Map.of("sub", true)))).isEqualTo("true");
    }

    @Test
    void withoutTheClaimTheClientIpIsTheKey() {
        assertThat(SUB.keyOf(from("10.0.0.1"))).as("no token").isEqualTo(new PeerIp("10.0.0.1"));
        assertThat(SUB.keyOf(withClaims("10.0.0.1", Map.of("iss", "x")))).as("claim absent").isEqualTo(new PeerIp("10.0.0.1"));
        assertThat(SUB.keyOf(withClaims("10.0.0.1", Map.of("sub", "")))).as("empty").isEqualTo(new PeerIp("10.0.0.1"));
        assertThat(SUB.keyOf(withClaims("10.0.0.1", Map.of("sub", List.of("a", "b")))))
                .as("an array names no single client").isEqualTo(new PeerIp("10.0.0.1"));
    }

    @Test
    void headerKeyIsTheFirstValueMatchedCaseInsensitively() {
        assertThat(X_USER.keyOf(from("10.0.0.1", "x-user", "bob"))).isEqualTo("bob");
        assertThat(X_USER.keyOf(from("10.0.0.1", "X-USER", "bob", "x-user", "mallory"))).isEqualTo("bob");
    }

    @Test
    void withoutTheHeaderTheClientIpIsTheKey() {
        assertThat(X_USER.keyOf(from("10.0.0.1"))).isEqualTo(new PeerIp("10.0.0.1"));
        assertThat(X_USER.keyOf(from("10.0.0.1", "x-user", ""))).isEqualTo(new PeerIp("10.0.0.1"));
    }

    @Test
    void aValueThatLooksLikeAnIpIsNotThatIpsKey() {
        Object spoofed = X_USER.keyOf(from("10.0.0.9", "x-user", "10.0.0.7"));
        Object anonymous = X_USER.keyOf(from("10.0.0.7"));

        assertThat(spoofed).isEqualTo("10.0.0.7");
        assertThat(anonymous).isEqualTo(new PeerIp("10.0.0.7"));
        assertThat(spoofed).isNotEqualTo(anonymous);
        assertThat(SUB.keyOf(withClaims("10.0.0.9", Map.of("sub", "10.0.0.7")))).isNotEqualTo(SUB.keyOf(from("10.0.0.7")));
    }

    @Test
    void ipKeyIgnoresClaimsAndHeaders() {
        assertThat(IP.keyOf(from("10.0.0.1", "x-user", "bob"))).isEqualTo("10.0.0.1");
        assertThat(IP.keyOf(withClaims("::1", Map.of("sub", "alice")))).isEqualTo("::1");
    }
}
