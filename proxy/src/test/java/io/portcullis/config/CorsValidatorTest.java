package io.portcullis.config;

import static io.portcullis.config.ConfigLoaderTest.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.policy.CorsConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code cors} errors at load, each with its exact path and line; the files are otherwise valid. */
class CorsValidatorTest {
    private static final String CORS = "binds[0].listeners[0].routes[0].policies.cors";

    /** A route whose {@code cors} block is {@code body} (indented under {@code cors:}). */
    static String route(String body) {
        return """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - policies:
                        cors:
                %s
                      backends:
                      - host: 127.0.0.1:9000
                """.formatted(body.stripTrailing().indent(10).stripTrailing());
    }

    @Test
    void aFullValidPolicyLoadsAsWritten() throws ConfigException {
        GatewayConfig config = ConfigLoader.parse(route("""
                allowCredentials: true
                allowOrigins: ["https://app.example.com", "https://*.example.com", "http://localhost:3000", "http://[::1]:8080"]
                allowMethods: [GET, POST, "*"]
                allowHeaders: [Content-Type, x-api-key, "*"]
                exposeHeaders: [X-Request-Id]
                maxAge: 10m
                """), "test.yaml", Map.<String, String>of()::get);
        CorsConfig cors = config.binds().get(0).listeners().get(0).routes().get(0).policies().cors();
        assertThat(cors.allowCredentials()).isTrue();
        assertThat(cors.allowOrigins()).hasSize(4);
        assertThat(cors.maxAge()).isEqualTo("10m");
    }

    @Test
    void originsMustBeStarOrSchemeHostPortWithoutPath() {
        assertThat(errorsOf(route("""
                allowOrigins:
                - https://app.example.com/
                - app.example.com
                - ftp://files.example.com
                - https://app.example.com:70000
                - "https://bad host.example.com"
                - https://user@app.example.com
                - "http://[::1"
                - https://app.example.com/api
                - "null"
                """))).containsExactly(
                CORS + ".allowOrigins[0]: \"https://app.example.com/\" has a path (expected: scheme://host[:port] and "
                        + "nothing after it, not even /: browsers send origins without a path, so this would never "
                        + "match) at line 8",
                CORS + ".allowOrigins[1]: \"app.example.com\" is not an origin (expected: scheme://host[:port], "
                        + "e.g. https://app.example.com, https://*.example.com or *) at line 9",
                CORS + ".allowOrigins[2]: \"ftp://files.example.com\" has scheme \"ftp\" (expected: http or https) "
                        + "at line 10",
                CORS + ".allowOrigins[3]: \"https://app.example.com:70000\" has an invalid port (expected: 1-65535) "
                        + "at line 11",
                CORS + ".allowOrigins[4]: \"https://bad host.example.com\" has an invalid host (expected: a host "
                        + "name such as app.example.com, a wildcard such as *.example.com, or an IP address) at line 12",
                CORS + ".allowOrigins[5]: \"https://user@app.example.com\" has an invalid host (expected: a host "
                        + "name such as app.example.com, a wildcard such as *.example.com, or an IP address) at line 13",
                CORS + ".allowOrigins[6]: \"http://[::1\" has an invalid IPv6 host (expected e.g. http://[::1]:8080) "
                        + "at line 14",
                CORS + ".allowOrigins[7]: \"https://app.example.com/api\" has a path (expected: scheme://host[:port] "
                        + "and nothing after it, not even /: browsers send origins without a path, so this would "
                        + "never match) at line 15",
                CORS + ".allowOrigins[8]: \"null\" is not an origin (expected: scheme://host[:port], "
                        + "e.g. https://app.example.com, https://*.example.com or *) at line 16");
    }

    @Test
    void credentialsAreRefusedWithAnOriginThatMatchesEverySite() {
        String because = " cannot be combined with allowCredentials: true (browsers refuse credentials for the "
                + "wildcard origin, and answering every origin instead would let any site read responses made "
                + "with the user's credentials; list the origins)";
        assertThat(errorsOf(route("""
                allowCredentials: true
                allowOrigins:
                - https://app.example.com
                - "*"
                - https://*
                - https://*.example.com
                - http://*:8080
                """))).containsExactly(
                CORS + ".allowOrigins[1]: \"*\"" + because + " at line 10",
                CORS + ".allowOrigins[2]: \"https://*\"" + because + " at line 11",
                CORS + ".allowOrigins[4]: \"http://*:8080\"" + because + " at line 13");
    }

    @Test
    void starOriginWithoutCredentialsLoads() throws ConfigException {
        ConfigLoader.parse(route("""
                allowCredentials: false
                allowOrigins: ["*"]
                """), "test.yaml", Map.<String, String>of()::get);
    }

    @Test
    void methodsAndHeaderNamesMustBeTokens() {
        assertThat(errorsOf(route("""
                allowMethods: [GET, get, "PUT ME", ""]
                allowHeaders: [Content-Type, "x api", "x:y"]
                exposeHeaders: ["X-Ok", "bad\\tname"]
                """))).containsExactly(
                CORS + ".allowMethods[1]: \"get\" (expected: an uppercase method such as GET or POST, or *) at line 7",
                CORS + ".allowMethods[2]: \"PUT ME\" (expected: an uppercase method such as GET or POST, or *) at line 7",
                CORS + ".allowMethods[3]: \"\" (expected: an uppercase method such as GET or POST, or *) at line 7",
                CORS + ".allowHeaders[1]: \"x api\" is not a valid header name at line 8",
                CORS + ".allowHeaders[2]: \"x:y\" is not a valid header name at line 8",
                CORS + ".exposeHeaders[1]: \"bad\tname\" is not a valid header name at line 9");
    }

    @Test
    void maxAgeIsSecondsOrADurationAndNotNegative() {
        List<String> expected = List.of(
                "\"-5\" is negative (expected: seconds such as 600, or a duration such as 10m)",
                "\"ten minutes\" (expected: seconds such as 600, or a duration such as 10m)",
                "\"1.5\" (expected: seconds such as 600, or a duration such as 10m)",
                "99999999999999999999 is too large (expected: seconds such as 600, or a duration such as 10m)",
                "\"-1m\" is negative (expected: seconds such as 600, or a duration such as 10m)");
        List<String> values = List.of("-5", "ten minutes", "1.5", "99999999999999999999", "-1m");
        for (int i = 0; i < values.size(); i++) {
            assertThat(errorsOf(route("maxAge: \"" + values.get(i) + "\"")))
                    .containsExactly(CORS + ".maxAge: " + expected.get(i) + " at line 7");
        }
    }

    @Test
    void maxAgeAcceptsAPlainIntegerOrADuration() throws ConfigException {
        for (String maxAge : List.of("0", "600", "\"600\"", "10m", "1h30m", "1.5s")) {
            ConfigLoader.parse(route("maxAge: " + maxAge), "test.yaml", Map.<String, String>of()::get);
        }
    }
}
