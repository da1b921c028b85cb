package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file under {@code config/invalid/} holds one mistake and must fail with exactly one error, whose
 * full text (path and line included) is pinned here. The same files drive the CLI's
 * {@code --validate-only} end-to-end test, so their names say what is wrong with them.
 */
class InvalidConfigFixturesTest {
    private static final String ROUTE = "binds[0].listeners[0].routes[0]";

    static Stream<Arguments> fixtures() {
        return Stream.of(
                fixture("unknown-key.yaml", ROUTE + ".policies.localRateLimt: unknown key (expected one of: "
                        + "directResponse, requestHeaderModifier, responseHeaderModifier, urlRewrite, "
                        + "requestRedirect, timeout, retry, maxRequestBodySize, jwtAuth, backendAuth, authorization, "
                        + "localRateLimit, cors, backendTLS) at line 8"),
                fixture("bad-duration.yaml", ROUTE + ".policies.timeout.requestTimeout: \"1x\" is not a duration "
                        + "(expected e.g. 100ms, 1s, 1m30s) at line 9"),
                fixture("unset-env.yaml", "line 10: environment variable PORTCULLIS_TEST_UNSET_VAR is not set "
                        + "(use ${PORTCULLIS_TEST_UNSET_VAR:-default} for a default)"),
                fixture("malformed-env.yaml", "line 7: \"${PORTCULLIS-BODY}\" is not a valid variable reference "
                        + "(expected ${NAME} or ${NAME:-default}); NAME is letters, digits and _; "
                        + "write $$ for a literal $"),
                fixture("duplicate-port.yaml", "binds[1].port: 8080 is already used by binds[0] at line 8"),
                fixture("bad-regex.yaml", ROUTE + ".matches[0].path.regex: \"([a-z\" does not compile: "
                        + "Unclosed character class near index 4 at line 9"),
                fixture("route-without-backend.yaml", ROUTE
                        + ": route \"api\" has neither backends nor directResponse/requestRedirect at line 6"),
                fixture("duplicate-key.yaml", "binds[0].port: duplicate key (first at line 2) at line 3"),
                fixture("alias.yaml", "line 2: anchors and aliases are not allowed (found &a)"),
                fixture("custom-tag.yaml",
                        "line 6: tag !!javax.script.ScriptEngineManager is not allowed (no custom tags)"),
                fixture("multiple-documents.yaml", "line 7: a config file holds one YAML document; found a second one"),
                fixture("empty.yaml", "config is empty"),
                fixture("deep-nesting.yaml", "line 1: invalid YAML: Nesting Depth exceeded max 50"),
                fixture("yaml-syntax.yaml", "line 4: invalid YAML: expected the node content, "
                        + "but found '<stream end>' (while parsing a flow node)"),
                fixture("no-binds.yaml", "binds: missing (expected: at least one bind) at line 1"),
                fixture("port-out-of-range.yaml",
                        "binds[0].port: 70000 (expected: 1-65535, or 0 for an ephemeral port) at line 2"),
                fixture("not-an-integer.yaml", "binds[0].port: \"abc\" is not an integer at line 2"),
                fixture("unsupported-policy.yaml",
                        ROUTE + ".policies.extAuthz: policy `extAuthz` is not supported yet at line 6"),
                fixture("unsupported-top-level.yaml", "backends: `backends` is not supported yet at line 1"),
                fixture("https-listener.yaml", "binds[0].listeners[0].tls: missing "
                        + "(expected: `cert` and `key` for protocol HTTPS) at line 4"),
                fixture("tls-on-http-listener.yaml", "binds[0].listeners[0].tls: set on an HTTP listener "
                        + "(expected: `protocol: HTTPS` to serve TLS, or no `tls`) at line 4"),
                fixture("unsupported-listener-key.yaml",
                        "binds[0].listeners[0].tcpRoutes: `tcpRoutes` is not supported yet at line 4"),
                fixture("backend-without-port.yaml", ROUTE + ".backends[0].host: \"my-backend\" (expected: "
                        + "host:port, [ipv6]:port, http://host[:port] or https://host[:port], port 1-65535) at line 6"),
                fixture("zero-weights.yaml", ROUTE
                        + ".backends: every backend has weight 0 (expected: at least one above 0) at line 5"),
                fixture("bad-header-name.yaml", ROUTE
                        + ".policies.requestHeaderModifier.set.X Bad: \"X Bad\" is not a valid header name at line 8"),
                fixture("framing-header.yaml", ROUTE + ".policies.requestHeaderModifier.remove[0]: "
                        + "`Transfer-Encoding` is managed by the proxy and cannot be modified at line 8"),
                fixture("bad-status.yaml",
                        ROUTE + ".policies.directResponse.status: 700 (expected: 100-599) at line 8"),
                fixture("bad-redirect.yaml", ROUTE
                        + ".policies.requestRedirect.status: 200 (expected: 301, 302, 303, 307 or 308) at line 8"),
                fixture("path-match-two-kinds.yaml", ROUTE
                        + ".matches[0].path: set exactly one of exact, pathPrefix, regex (found 2) at line 6"),
                fixture("relative-path.yaml", ROUTE
                        + ".matches[0].path.pathPrefix: \"api\" (expected: a path starting with /) at line 7"),
                fixture("lowercase-method.yaml", ROUTE
                        + ".matches[0].method: \"post\" (expected: an uppercase method such as GET or POST) at line 6"),
                fixture("two-catch-all-listeners.yaml", "binds[0].listeners[1].hostname: missing, and "
                        + "binds[0].listeners[0] already has no hostname "
                        + "(expected: at most one listener per bind without one) at line 8"),
                fixture("duplicate-hostname.yaml", "binds[0].listeners[1].hostname: \"API.example.com\" "
                        + "is already used by binds[0].listeners[0] at line 8"),
                fixture("duplicate-route-name.yaml", "binds[0].listeners[0].routes[1].name: \"api\" "
                        + "is already used by binds[0].listeners[0].routes[0] at line 8"),
                fixture("bad-trusted-proxy.yaml", "frontendPolicies.http.trustedProxies[1]: \"10.0.0.1/8\" "
                        + "has bits set after the prefix (did you mean 10.0.0.0/8?) at line 5"),
                fixture("header-size-too-small.yaml",
                        "frontendPolicies.http.maxHeaderSize: 512 (expected: 1Ki-1Mi) at line 3"),
                fixture("bad-log-level.yaml",
                        "config.logging.level: \"verbose\" (expected: error, warn, info, debug or trace) at line 3"),
                fixture("bad-stats-addr.yaml",
                        "config.statsAddr: \"9090\" (expected: host:port, [ipv6]:port or off) at line 2"),
                fixture("retry-attempts.yaml",
                        ROUTE + ".policies.retry.attempts: 11 (expected: 1-10) at line 7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureFailsWithExactlyItsOwnError(String file, String expected) throws IOException {
        Path path = invalidDir().resolve(file);
        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.parse(Files.readString(path), file, Map.<String, String>of()::get),
                ConfigException.class);

        assertThat(e).as(file + " must fail to load").isNotNull();
        assertThat(e.errors()).containsExactly(expected);
        assertThat(e.source()).isEqualTo(file);
    }

    @Test
    void everyFixtureHasAnExpectedError() throws IOException {
        try (Stream<Path> files = Files.list(invalidDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(
                            fixtures().map(a -> (String) a.get()[0]).collect(Collectors.toList()));
        }
    }

    private static Arguments fixture(String file, String expected) {
        return Arguments.of(file, expected);
    }

    static Path invalidDir() {
        try {
            return Path.of(InvalidConfigFixturesTest.class.getResource("/config/invalid").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
