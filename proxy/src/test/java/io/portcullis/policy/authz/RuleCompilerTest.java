package io.portcullis.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the validator reports for a rule: CEL's message, with the position inside the expression. */
class RuleCompilerTest {

    @Test
    void aBooleanRuleOverTheDeclaredVariablesCompiles() {
        assertThat(RuleCompiler.compileProblem("\"admin\" in jwt.roles")).isNull();
        assertThat(RuleCompiler.compileProblem("request.method == \"GET\" && request.path.startsWith(\"/api\")"
                + " && request.headers[\"x-role\"] == \"admin\" && request.host != \"\" && request.scheme == \"https\""
                + " && source.address == \"127.0.0.1\"")).isNull();
        assertThat(RuleCompiler.compileProblem("jwt.realm.roles.exists(r, r == \"admin\")")).as("standard macros").isNull();
        assertThat(RuleCompiler.compileProblem("jwt.verified")).as("dyn may be a boolean at run time").isNull();
    }

    @Test
    void aSyntaxErrorNamesTheColumn() {
        assertThat(RuleCompiler.compileProblem("jwt.sub =="))
                .isEqualTo("mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null',"
                        + " NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER} (expression column 11)");
    }

    @Test
    void aMultiLineExpressionNamesLineAndColumn() {
        assertThat(RuleCompiler.compileProblem("request.method == \"GET\" &&\n  request.path =="))
                .endsWith("(expression line 2, column 18)");
    }

    @Test
    void aRuleMustBeBoolean() {
        assertThat(RuleCompiler.compileProblem("1 + 1")).isEqualTo("expected type 'bool' but found 'int' (expression column 3)");
        assertThat(RuleCompiler.compileProblem("request.path")).isEqualTo("expected type 'bool' but found 'string' (expression column 8)");
    }

    @Test
    void unknownVariablesAndWrongTypesAreCaught() {
        assertThat(RuleCompiler.compileProblem("foo == 1")).isEqualTo("undeclared reference to 'foo' (expression column 1)");
        assertThat(RuleCompiler.compileProblem("request == 1")).as("only the qualified names are variables")
                .isEqualTo("undeclared reference to 'request' (expression column 1)");
        assertThat(RuleCompiler.compileProblem("request.method == 1"))
                .startsWith("found no matching overload for '_==_' applied to '(string, int)'");
    }

    @Test
    void anEmptyExpressionIsNamedAsSuch() {
        assertThat(RuleCompiler.compileProblem("")).isEqualTo("empty (expected: a CEL expression)");
        assertThat(RuleCompiler.compileProblem("  ")).isEqualTo("empty (expected: a CEL expression)");
    }

    @Test
    void manyIssuesAreCappedAtThree() {
        assertThat(RuleCompiler.compileProblem("a == 1 && b == 1 && c == 1 && d == 1 && e == 1"))
                .isEqualTo("undeclared reference to 'a' (expression column 1); undeclared reference to 'b' (expression column 11);"
                        + " undeclared reference to 'c' (expression column 21) (and 2 more)");
    }
}
