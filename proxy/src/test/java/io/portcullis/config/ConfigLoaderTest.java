package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.portcullis.config.policy.AuthorityRewriteConfig;
import io.portcullis.config.policy.DirectResponseConfig;
import io.portcullis.config.policy.HeaderModifierConfig;
import io.portcullis.config.policy.PathRewriteConfig;
import io.portcullis.config.policy.PoliciesConfig;
import io.portcullis.config.policy.RequestRedirectConfig;
import io.portcullis.config.policy.RetryConfig;
import io.portcullis.config.policy.TimeoutConfig;
import io.portcullis.config.policy.UrlRewriteConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String SEED_ROUTES = "binds[0].listeners[0].routes";

    @Test
    void bindsEveryKeyOfAFullConfig() throws Exception {
        GatewayConfig config = ConfigLoader.parse(resource("valid-full.yaml"), "valid-full.yaml",
                Map.of("TOKEN", "s3cret")::get);

        assertThat(config).isEqualTo(new GatewayConfig(
                new StaticConfig("127.0.0.1:9090", "[::1]:15000", "off", 4, Duration.ofSeconds(30),
                        Duration.ofSeconds(1), new LoggingConfig("info", "json", null), new MetricsConfig("agentgateway"),
                        new BackendDefaultsConfig(Duration.ofSeconds(5), Duration.ofSeconds(90), 64)),
                List.of(
                        new BindConfig(8080, "127.0.0.1", List.of(
                                new ListenerConfig("api", "api.example.com", ListenerProtocol.HTTP, null, List.of(
                                        healthRoute(), usersRoute(), redirectRoute())),
                                new ListenerConfig("fallback", null, null, null, List.of(
                                        new RouteConfig(null, null, null, null,
                                                List.of(new BackendConfig("[::1]:9000", null))))))),
                        new BindConfig(0, null, List.of(new ListenerConfig(null, null, null, null, List.of(
                                new RouteConfig(null, null, null, null,
                                        List.of(new BackendConfig("localhost:9000", null)))))))),
                new FrontendPoliciesConfig(new FrontendHttpConfig(
                        new ByteSize(32 * 1024), 100, Duration.ofSeconds(75), Duration.ofHours(1),
                        new ByteSize(8 * 1024), new ByteSize(32 * 1024), new ByteSize(1024 * 1024),
                        Duration.ofSeconds(10), 1000, List.of("10.0.0.0/8", "fd00::/8", "192.168.1.7"), null,
                        null, null))));
    }

    private static RouteConfig healthRoute() {
        return new RouteConfig("health", null,
                List.of(new MatchConfig(new PathMatchConfig("/healthz", null, null), null, null, null)),
                new PoliciesConfig(new DirectResponseConfig("{\"status\":\"ok\"}", 200),
                        null, null, null, null, null, null, null, null, null, null, null, null, null),
                null);
    }

    private static RouteConfig usersRoute() {
        return new RouteConfig("users", List.of("api.example.com", "*.api.example.com"),
                List.of(
                        new MatchConfig(new PathMatchConfig(null, "/users", null), "GET",
                                List.of(new HeaderMatchConfig("x-tenant", new ValueMatchConfig("acme", null))),
                                List.of(new HeaderMatchConfig("version", new ValueMatchConfig(null, "v[0-9]+")))),
                        new MatchConfig(new PathMatchConfig(null, null, "^/u/[0-9]+$"), null, null, null)),
                new PoliciesConfig(null,
                        new HeaderModifierConfig(Map.of("x-added", "1"), Map.of("Authorization", "Bearer s3cret"),
                                List.of("X-Forwarded-For")),
                        new HeaderModifierConfig(null, Map.of("x-served-by", "portcullis"), null),
                        new UrlRewriteConfig(new AuthorityRewriteConfig(null, "users.internal", null),
                                new PathRewriteConfig(null, "/v2/users")),
                        null,
                        new TimeoutConfig(Duration.ofSeconds(30), Duration.ofSeconds(10)),
                        new RetryConfig(3, Duration.ofMillis(100), List.of(502, 503)),
                        new ByteSize(2 * 1024 * 1024), null, null, null, null, null, null),
                List.of(new BackendConfig("10.0.0.5:8080", 3), new BackendConfig("http://users.internal", null)));
    }

    private static RouteConfig redirectRoute() {
        return new RouteConfig("old", null,
                List.of(new MatchConfig(new PathMatchConfig(null, "/old", null), null, null, null)),
                new PoliciesConfig(null, null, null, null,
                        new RequestRedirectConfig("https", new AuthorityRewriteConfig("new.example.com:8443", null, null),
                                new PathRewriteConfig("/new", null), 301),
                        null, null, null, null, null, null, null, null, null),
                null);
    }

    @Test
    void seedConfigFailsOnlyOnItsAbsentFiles() throws Exception {
        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.parse(resource("seed-002.yaml"), "seed-002.yaml", Map.of("BACKEND_TOKEN", "t")::get),
                ConfigException.class);

        assertThat(e.errors()).containsExactly(
                SEED_ROUTES + "[1].policies.jwtAuth.jwks: cannot read /etc/agentgateway/jwks.json: no such file at line 32",
                SEED_ROUTES + "[2].policies.jwtAuth.jwks: cannot read /etc/agentgateway/jwks.json: no such file at line 58",
                SEED_ROUTES + "[2].policies.backendTLS: cannot read "
                        + "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt: no such file at line 60");
    }

    @Test
    void seedConfigWithoutBackendTokenAlsoNamesTheVariable() throws Exception {
        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.parse(resource("seed-002.yaml"), "seed-002.yaml", Map.<String, String>of()::get),
                ConfigException.class);

        assertThat(e.errors()).hasSize(4).first().isEqualTo(
                "line 64: environment variable BACKEND_TOKEN is not set (use ${BACKEND_TOKEN:-default} for a default)");
        assertThat(e.errors()).allMatch(m -> m.contains("BACKEND_TOKEN") || m.contains("cannot read"));
    }

    @Test
    void loadsAFileExpandingTheProcessEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "binds:\n- port: ${PORTCULLIS_TEST_UNSET_VAR:-8080}\n  listeners:\n"
                + "  - routes:\n    - backends:\n      - host: 127.0.0.1:9000\n");

        assertThat(ConfigLoader.load(file).binds().get(0).port()).isEqualTo(8080);
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        ConfigException e = catchThrowableOfType(() -> ConfigLoader.load(file), ConfigException.class);

        assertThat(e.errors()).containsExactly("cannot read " + file + ": no such file");
        assertThat(e.source()).isEqualTo(file.toString());
    }

    @Test
    void reportsInvalidUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "binds: caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

        ConfigException e = catchThrowableOfType(() -> ConfigLoader.load(file), ConfigException.class);

        assertThat(e.errors()).containsExactly(file + " is not valid UTF-8");
    }

    @Test
    void refusesAHugeFileWithoutParsingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.yaml");
        String line = "# " + "x".repeat(1021) + "\n";
        Files.writeString(file, line.repeat(4 * 1024 + 1));

        ConfigException fromFile = catchThrowableOfType(() -> ConfigLoader.load(file), ConfigException.class);
        ConfigException fromText = catchThrowableOfType(
                () -> ConfigLoader.parse(Files.readString(file), "huge", Map.<String, String>of()::get),
                ConfigException.class);

        String expected = "config is larger than 4 MiB (4194304 bytes); refusing to parse it";
        assertThat(fromFile.errors()).containsExactly(expected);
        assertThat(fromText.errors()).containsExactly(expected);
    }

    @Test
    void refusesAnExpansionThatOutgrowsTheLimit() {
        String big = "x".repeat(100_000);
        String yaml = ("k: ${BIG}\n").repeat(50);

        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.parse(yaml, "big", Map.of("BIG", big)::get), ConfigException.class);

        assertThat(e.errors()).singleElement().asString()
                .startsWith("line ").contains("invalid YAML: The incoming YAML document exceeds the limit: 4194304 code points");
    }

    @Test
    @Timeout(10)
    void billionLaughsFailsFastOnTheFirstAnchor() {
        StringBuilder yaml = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 30; i++) {
            yaml.append("l").append(i).append(": &l").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1)))).append("]\n");
        }

        assertThat(errorsOf(yaml.toString())).containsExactly("line 1: anchors and aliases are not allowed (found &l0)");
    }

    @Test
    void aliasWithoutAnAnchorIsRefusedToo() {
        assertThat(errorsOf("binds: *missing\n")).containsExactly("line 1: aliases are not allowed (found *missing)");
    }

    @Test
    @Timeout(10)
    void deepNestingFailsCleanly() {
        assertThat(errorsOf("binds: " + "[".repeat(100_000) + "]".repeat(100_000)))
                .containsExactly("line 1: invalid YAML: Nesting Depth exceeded max 50");
        StringBuilder blocks = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            blocks.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        assertThat(errorsOf(blocks.toString())).singleElement().asString()
                .endsWith("invalid YAML: Nesting Depth exceeded max 50");
    }

    @Test
    void duplicateKeysAreReportedWithBothLines() {
        String yaml = """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - backends:
                      - host: 127.0.0.1:9000
                        weight: 1
                        weight: 2
                    policies:
                      set:
                        a: 1
                binds: []
                """;

        assertThat(errorsOf(yaml)).containsExactly(
                "binds[0].listeners[0].routes[0].backends[0].weight: duplicate key (first at line 7) at line 8",
                "binds[0].listeners[0].policies: `policies` is not supported yet at line 9",
                "binds: duplicate key (first at line 1) at line 12");
    }

    @Test
    void duplicateKeysInHeaderMapsAreReported() {
        String yaml = """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - backends:
                      - host: 127.0.0.1:9000
                      policies:
                        requestHeaderModifier:
                          set:
                            X-A: "1"
                            X-A: "2"
                """;

        assertThat(errorsOf(yaml)).containsExactly("binds[0].listeners[0].routes[0].policies.requestHeaderModifier"
                + ".set.X-A: duplicate key (first at line 10) at line 11");
    }

    @Test
    void reportsErrorsOfEveryStageInOneRun() {
        String yaml = """
                config:
                  workerThreads: 0
                  tracing: {}
                binds:
                - port: ${PORT}
                  listeners:
                  - routes:
                    - backends:
                      - host: nowhere
                """;

        assertThat(errorsOf(yaml)).containsExactly(
                "line 5: environment variable PORT is not set (use ${PORT:-default} for a default)",
                "config.tracing: `tracing` is not supported yet at line 3",
                "config.workerThreads: 0 (expected: 1-256) at line 2",
                "binds[0].port: missing (expected: 1-65535, or 0 for an ephemeral port) at line 5",
                "binds[0].listeners[0].routes[0].backends[0].host: \"nowhere\" (expected: host:port, [ipv6]:port, "
                        + "http://host[:port] or https://host[:port], port 1-65535) at line 9");
    }

    @Test
    void aValueThatFailedToBindIsNotAlsoReportedAsMissing() {
        String yaml = """
                binds:
                - port: [8080]
                  listeners:
                  - routes:
                    - policies:
                        directRespons:
                          status: 200
                """;

        assertThat(errorsOf(yaml)).containsExactly(
                "binds[0].port: expected an integer, found a list at line 2",
                "binds[0].listeners[0].routes[0].policies.directRespons: unknown key (expected one of: directResponse, "
                        + "requestHeaderModifier, responseHeaderModifier, urlRewrite, requestRedirect, timeout, retry, "
                        + "maxRequestBodySize, jwtAuth, backendAuth, authorization, localRateLimit, cors, backendTLS) at line 6");
    }

    @Test
    void capsTheNumberOfErrors() {
        StringBuilder yaml = new StringBuilder("binds:\n");
        for (int i = 0; i < 70; i++) {
            yaml.append("- port: 8080\n  listeners: []\n");
        }

        List<String> errors = errorsOf(yaml.toString());

        assertThat(errors).hasSize(ConfigErrors.MAX_ERRORS + 1);
        // 70 "listeners: missing" plus 69 "port already used": 139 in all.
        assertThat(errors.get(ConfigErrors.MAX_ERRORS)).isEqualTo("(89 more errors not shown)");
    }

    @Test
    void rootMustBeAMapping() {
        assertThat(errorsOf("- port: 8080\n")).containsExactly("line 1: expected a mapping, found a list");
        assertThat(errorsOf("just text\n")).containsExactly("line 1: expected a mapping, found \"just text\"");
        assertThat(errorsOf("~\n")).containsExactly("config is empty");
        assertThat(errorsOf("# only a comment\n")).containsExactly("config is empty");
    }

    @Test
    void byteOrderMarkIsIgnored() throws ConfigException {
        String yaml = "\uFEFFbinds:\n- port: 1\n  listeners:\n  - routes:\n    - backends:\n      - host: a:1\n";

        assertThat(ConfigLoader.parse(yaml, "bom", Map.<String, String>of()::get).binds()).hasSize(1);
    }

    static List<String> errorsOf(String yaml) {
        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.parse(yaml, "test.yaml", Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as("expected the config to be rejected").isNotNull();
        return e.errors();
    }

    static String resource(String name) throws IOException {
        try {
            return Files.readString(Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
