package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvExpanderTest {
    private static final Function<String, String> ENV = Map.of("HOST", "example.com", "EMPTY", "", "PORT", "80")::get;

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "host: ${HOST}                 | host: example.com",
        "${HOST}:${PORT}               | example.com:80",
        "${UNSET:-fallback}            | fallback",
        "${EMPTY:-fallback}            | fallback",
        "${HOST:-fallback}             | example.com",
        "`x${EMPTY}y`                  | xy",
        "`${UNSET:-}`                  | ``",
        "${UNSET:-a:-b}                | a:-b",
        "cost: $$5                     | cost: $5",
        "$${HOST}                      | ${HOST}",
        "$$$$                          | $$",
        "a $ b                         | a $ b",
        "price$                        | price$",
        "$HOST                         | $HOST",
        "# ${UNSET} in a comment       | # ${UNSET} in a comment",
        "`   # ${UNSET} indented`      | `   # ${UNSET} indented`",
        "body: 'a # ${HOST}'           | body: 'a # example.com'",
    })
    void expands(String text, String expected) throws ConfigException {
        assertThat(EnvExpander.expand(text, ENV)).isEqualTo(expected);
    }

    @Test
    void keepsLineBreaksAndLineCount() throws ConfigException {
        assertThat(EnvExpander.expand("a: ${HOST}\r\nb: $$\n\nc: ${PORT}\n", ENV))
                .isEqualTo("a: example.com\r\nb: $\n\nc: 80\n");
    }

    @Test
    void reportsEveryUnsetVariableOnceWithItsFirstLine() {
        String text = "a: ${BACKEND_TOKEN}\nb: ${HOST}\nc: ${OTHER}\nd: ${BACKEND_TOKEN}\n";

        ConfigException e = catchThrowableOfType(() -> EnvExpander.expand(text, ENV), ConfigException.class);

        assertThat(e.errors()).containsExactly(
                "line 1: environment variable BACKEND_TOKEN is not set (use ${BACKEND_TOKEN:-default} for a default)",
                "line 3: environment variable OTHER is not set (use ${OTHER:-default} for a default)");
    }

    @Test
    void reportsMalformedReferencesWithTheirLine() {
        String text = "a: ok\nb: ${UNCLOSED\nc: ${}\nd: ${BAD-NAME}\ne: ${1X}\nf: ${A:-${B}}\n";

        ConfigException e = catchThrowableOfType(() -> EnvExpander.expand(text, ENV), ConfigException.class);

        String syntax = " (expected ${NAME} or ${NAME:-default}); NAME is letters, digits and _; write $$ for a literal $";
        assertThat(e.errors()).containsExactly(
                "line 2: unterminated ${ (expected ${NAME} or ${NAME:-default})",
                "line 3: \"${}\" is not a valid variable reference" + syntax,
                "line 4: \"${BAD-NAME}\" is not a valid variable reference" + syntax,
                "line 5: \"${1X}\" is not a valid variable reference" + syntax,
                "line 6: \"${A:-${B}\": a default cannot contain another ${...}");
    }

    @Test
    void refusesValuesWithLineBreaks() {
        Function<String, String> env = Map.of("INJECT", "x\nadmin: true")::get;

        ConfigException e = catchThrowableOfType(() -> EnvExpander.expand("\nkey: ${INJECT}", env), ConfigException.class);

        assertThat(e.errors()).containsExactly(
                "line 2: environment variable INJECT contains a line break, which would change the structure of the YAML");
    }

    @Test
    void carriesOnAfterErrorsSoLaterStagesCanReportToo() {
        ConfigErrors errors = new ConfigErrors();

        String expanded = EnvExpander.expand("a: \"${UNSET}\"\nb: ${BAD-}\nc: ${HOST}", ENV, errors);

        assertThat(expanded).isEqualTo("a: \"\"\nb: ${BAD-}\nc: example.com");
        assertThat(errors.isEmpty()).isFalse();
    }
}
