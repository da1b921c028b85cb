package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyntaxTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10.0.0.0/8", "192.168.1.7", "192.168.1.7/32", "0.0.0.0/0", "fd00::/8", "::1", "::/0",
        "2001:db8::/32"})
    void acceptsIpsAndRanges(String text) {
        assertThat(Syntax.cidrProblem(text)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "localhost      | \"localhost\" is not an IP range (expected: an IP or CIDR range such as 10.0.0.0/8 or fd00::/8)",
        "10.0.0/8       | \"10.0.0/8\" is not an IP range (expected: an IP or CIDR range such as 10.0.0.0/8 or fd00::/8)",
        "010.0.0.1      | \"010.0.0.1\" is not an IP range (expected: an IP or CIDR range such as 10.0.0.0/8 or fd00::/8)",
        "[::1]          | \"[::1]\" is not an IP range (expected: an IP or CIDR range such as 10.0.0.0/8 or fd00::/8)",
        "10.0.0.0/33    | \"10.0.0.0/33\" has an invalid prefix length (expected: 0-32)",
        "fd00::/129     | \"fd00::/129\" has an invalid prefix length (expected: 0-128)",
        "10.0.0.0/      | \"10.0.0.0/\" has an invalid prefix length (expected: 0-32)",
        "10.0.0.0/-1    | \"10.0.0.0/-1\" has an invalid prefix length (expected: 0-32)",
        "10.1.2.3/8     | \"10.1.2.3/8\" has bits set after the prefix (did you mean 10.0.0.0/8?)",
        "fd00::1/8      | \"fd00::1/8\" has bits set after the prefix (did you mean fd00::/8?)",
    })
    void explainsBadRanges(String text, String problem) {
        assertThat(Syntax.cidrProblem(text)).isEqualTo(problem);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"X-Forwarded-For, true", "x_y.z~!, true", "'', false", "'X Bad', false", ":authority, false",
        "'a\u00e9', false", "'a/b', false"})
    void recognisesTokens(String text, boolean token) {
        assertThat(Syntax.isToken(text)).isEqualTo(token);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"api.example.com, true", "*.example.com, true", "localhost, true", "my_svc.ns, true",
        "'', false", "-a.com, false", "a..com, false", "*, false", "a.*.com, false", "'a b', false"})
    void recognisesHostnamePatterns(String text, boolean valid) {
        assertThat(Syntax.isHostnamePattern(text)).isEqualTo(valid);
    }
}
