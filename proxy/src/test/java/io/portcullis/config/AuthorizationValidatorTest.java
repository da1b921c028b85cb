package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code authorization} is checked at load: every rule sets exactly one kind and compiles to a boolean. Each
 * error is asserted with its exact path and line; the other rules in each file are valid.
 */
class AuthorizationValidatorTest {
    private static final String RULES = "binds[0].listeners[0].routes[0].policies.authorization.rules";

    /** A route whose {@code authorization} block is {@code body}, indented under {@code authorization:} (line 6). */
    static String route(String body) {
        return """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - policies:
                        authorization:
                %s
                      backends:
                      - host: 127.0.0.1:9000
                """.formatted(body.indent(10).stripTrailing());
    }

    static List<String> errorsOf(String yaml) {
        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.parse(yaml, "test.yaml", Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as("expected the config to be rejected").isNotNull();
        return e.errors();
    }

    @Test
    void validRulesOfEveryKindLoad() {
        String yaml = route("""
                rules:
                - '"admin" in jwt.roles'
                - allow: request.headers["x-role"] == "admin"
                - deny: request.method == "DELETE"
                - require: source.address.startsWith("10.")
                - |
                  request.path.startsWith("/api/") &&
                    jwt.realm.roles.exists(r, r == "operator")
                """);
        assertThatCode(() -> ConfigLoader.parse(yaml, "test.yaml", Map.<String, String>of()::get)).doesNotThrowAnyException();
    }

    @Test
    void anEmptyRuleListLoads() {
        assertThatCode(() -> ConfigLoader.parse(route("rules: []"), "test.yaml", Map.<String, String>of()::get))
                .doesNotThrowAnyException();
    }

    @Test
    void rulesThatDoNotCompileAreReportedAtTheirLine() {
        String yaml = route("""
                rules:
                - jwt.sub == "alice"
                - allow: 'jwt.sub =='
                - deny: 1 + 1
                - require: foo == "bar"
                - request.method == 1
                - |
                  request.method == "GET" &&
                    request.path ==
                - allow: ""
                """);
        assertThat(errorsOf(yaml)).containsExactly(
                RULES + "[1]: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null',"
                        + " NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER} (expression column 11) at line 9",
                RULES + "[2]: expected type 'bool' but found 'int' (expression column 3) at line 10",
                RULES + "[3]: undeclared reference to 'foo' (expression column 1) at line 11",
                RULES + "[4]: found no matching overload for '_==_' applied to '(string, int)' (candidates: (%A0, %A0))"
                        + " (expression column 16) at line 12",
                RULES + "[5]: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null',"
                        + " NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER} (expression line 2, column 18) at line 13",
                RULES + "[6]: empty (expected: a CEL expression) at line 16");
    }

    @Test
    void aRuleSetsExactlyOneOfAllowDenyRequire() {
        String yaml = route("""
                rules:
                - {}
                - allow: "true"
                  deny: "false"
                - require: "true"
                - allow: "true"
                  deny: "false"
                  require: "true"
                - permit: "true"
                """);
        assertThat(errorsOf(yaml)).containsExactly(
                RULES + "[4].permit: unknown key (expected one of: allow, deny, require) at line 15",
                RULES + "[0]: set exactly one of allow, deny, require at line 8",
                RULES + "[1]: set exactly one of allow, deny, require (found 2) at line 9",
                RULES + "[3]: set exactly one of allow, deny, require (found 3) at line 12");
    }

    @Test
    void rulesAreRequired() {
        assertThat(errorsOf(route("{}"))).containsExactly(
                "binds[0].listeners[0].routes[0].policies.authorization.rules: missing (expected: a list of CEL rules) at line 6");
    }
}
