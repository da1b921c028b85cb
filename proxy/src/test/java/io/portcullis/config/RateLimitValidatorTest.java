package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code localRateLimit} load errors, each with its exact path and line. Every YAML here is otherwise valid,
 * so the listed errors are all the file produces.
 */
class RateLimitValidatorTest {
    private static final String LIMITS = "binds[0].listeners[0].routes[0].policies.localRateLimit";

    /** A one-route config whose {@code localRateLimit} list is {@code buckets}, indented as a list at line 8. */
    private static String route(String buckets) {
        return """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - backends:
                      - host: 127.0.0.1:9000
                      policies:
                        localRateLimit:
                """ + buckets.indent(8) + JWT_AUTH;
    }

    /** After the buckets, so their line numbers stay put; claim keys need a jwtAuth on the route. */
    private static final String JWT_AUTH = "        jwtAuth: {issuer: test, secret: 'q8Zr1vK3mW7xT2pL9sD4fG6hJ0aB5nEy'}\n";

    private static List<String> errorsOf(String yaml) {
        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.parse(yaml, "test.yaml", Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as("expected the config to be rejected").isNotNull();
        return e.errors();
    }

    @Test
    void validBucketsLoad() throws Exception {
        ConfigLoader.parse(route("""
                - {maxTokens: 100, tokensPerFill: 10, fillInterval: 1s}
                - {maxTokens: 10, tokensPerFill: 1, fillInterval: 600ms, type: requests, key: {claim: user_id}}
                - {maxTokens: 5, tokensPerFill: 5, fillInterval: 1m, key: {header: x-remote-user}, maxKeys: 1000}
                - {maxTokens: 1000, tokensPerFill: 1, fillInterval: 1ns, key: {ip: true}}
                """), "test.yaml", Map.<String, String>of()::get);
    }

    @Test
    void countsMustBePositiveAndTheIntervalPresentAndNonZero() {
        assertThat(errorsOf(route("""
                - maxTokens: 0
                  tokensPerFill: -1
                  fillInterval: 0s
                - tokensPerFill: 1
                """))).containsExactly(
                LIMITS + "[0].maxTokens: 0 (expected: >= 1) at line 9",
                LIMITS + "[0].tokensPerFill: -1 (expected: >= 1) at line 10",
                LIMITS + "[0].fillInterval: 0s (expected: more than 0s) at line 11",
                LIMITS + "[1].maxTokens: missing (expected: an integer >= 1) at line 12",
                LIMITS + "[1].fillInterval: missing (expected: a duration such as 1s) at line 12");
    }

    @Test
    void aFillCannotExceedTheBucketNorOneTokenPerNanosecond() {
        assertThat(errorsOf(route("""
                - {maxTokens: 10, tokensPerFill: 20, fillInterval: 1s}
                - {maxTokens: 5000, tokensPerFill: 2000, fillInterval: 1us}
                """))).containsExactly(
                LIMITS + "[0].tokensPerFill: 20 is more than maxTokens 10 "
                        + "(expected: <= maxTokens; the bucket cannot hold more than maxTokens) at line 9",
                LIMITS + "[1].tokensPerFill: 2000 every 1us is more than one token per nanosecond "
                        + "(expected: a rate of at most 1000000000 per second) at line 10");
    }

    @Test
    void countingLlmTokensIsNotSupportedYet() {
        assertThat(errorsOf(route("""
                - {maxTokens: 10, tokensPerFill: 1, fillInterval: 1s, type: tokens}
                - {maxTokens: 10, tokensPerFill: 1, fillInterval: 1s, type: request}
                """))).containsExactly(
                LIMITS + "[0].type: `tokens` (LLM token counting) is not supported yet (expected: requests) at line 9",
                LIMITS + "[1].type: \"request\" (expected: requests) at line 10");
    }

    @Test
    void keyNamesExactlyOneClaimHeaderOrIp() {
        assertThat(errorsOf(route("""
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {}}
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {claim: sub, header: x-user}}
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {ip: false}}
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {claim: ""}}
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {header: "x user"}}
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {header: Connection}}
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {user: sub}}
                """))).containsExactly(
                LIMITS + "[6].key.user: unknown key (expected one of: claim, header, ip) at line 15",
                LIMITS + "[0].key: set exactly one of claim, header, ip at line 9",
                LIMITS + "[1].key: set exactly one of claim, header, ip (found 2) at line 10",
                LIMITS + "[2].key.ip: false (expected: true; without key the route has one bucket) at line 11",
                LIMITS + "[3].key.claim: \"\" (expected: a claim name such as sub) at line 12",
                LIMITS + "[4].key.header: \"x user\" is not a valid header name at line 13",
                LIMITS + "[5].key.header: `Connection` is a hop-by-hop header, removed before policies run, "
                        + "so every request would be keyed by client IP at line 14");
    }

    @Test
    void claimKeyNeedsJwtAuthOnTheRoute() {
        assertThat(errorsOf(route("- {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {claim: sub}}\n")
                .replace(JWT_AUTH, ""))).containsExactly(
                LIMITS + "[0].key.claim: keys by a JWT claim, so the route needs jwtAuth "
                        + "(without it every request would be keyed by client IP) at line 9");
    }

    @Test
    void maxKeysIsAtLeastOneAndOnlyWithKey() {
        assertThat(errorsOf(route("""
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, maxKeys: 10}
                - {maxTokens: 1, tokensPerFill: 1, fillInterval: 1s, key: {ip: true}, maxKeys: 0}
                """))).containsExactly(
                LIMITS + "[0].maxKeys: only applies with key (one bucket per client); "
                        + "without key the route has one bucket at line 9",
                LIMITS + "[1].maxKeys: 0 (expected: >= 1) at line 10");
    }

    @Test
    void aValueThatFailedToBindIsNotReportedAgain() {
        assertThat(errorsOf(route("""
                - {maxTokens: many, tokensPerFill: 1, fillInterval: 1x}
                - ~
                """))).containsExactly(
                LIMITS + "[0].maxTokens: \"many\" is not an integer at line 9",
                LIMITS + "[0].fillInterval: \"1x\" is not a duration (expected e.g. 100ms, 1s, 1m30s) at line 9",
                LIMITS + "[1]: empty list entry at line 10");
    }
}
