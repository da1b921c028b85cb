package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;

class RecordBinderTest {
    /** Covers every supported component type, including ones no config record uses yet. */
    record Sample(
            Boolean flag,
            Long big,
            Integer small,
            ListenerProtocol protocol,
            Map<String, String> labels,
            List<Integer> codes,
            Duration delay,
            ByteSize size,
            String text,
            Nested nested) {}

    record Nested(String name) {}

    @Test
    void bindsEverySupportedType() {
        String yaml = """
                flag: true
                big: 9999999999
                small: -5
                protocol: HTTP
                labels: {a: "1", b: 2, c: on, d: ""}
                codes: [1, 2]
                delay: 1m
                size: 1Ki
                text: 123
                nested: {name: x}
                """;

        assertThat(bind(yaml)).isEqualTo(new Sample(true, 9_999_999_999L, -5, ListenerProtocol.HTTP,
                Map.of("a", "1", "b", "2", "c", "on", "d", ""), List.of(1, 2), Duration.ofMinutes(1),
                new ByteSize(1024), "123", new Nested("x")));
    }

    @Test
    void nullsAndAbsentKeysBindToNull() {
        assertThat(bind("flag:\ntext: ~\nnested: null\n"))
                .isEqualTo(new Sample(null, null, null, null, null, null, null, null, null, null));
    }

    @Test
    void preservesTheOrderOfMapEntries() {
        assertThat(bind("labels: {z: 1, a: 2, m: 3}\n").labels().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void reportsEveryTypeErrorWithPathAndLine() {
        String yaml = """
                flag: yes
                big: "1"
                small: 3000000000
                protocol: http
                labels:
                  a:
                  b: {c: d}
                  [x]: y
                codes: [1, ~, x, 0x1F, 010]
                delay: 5
                size: 1MB
                text: [a]
                nested: x
                other: 1
                """;

        assertThat(errors(yaml)).containsExactly(
                "flag: \"yes\" is not a boolean (expected: true or false) at line 1",
                "big: \"1\" is quoted; write an integer without quotes at line 2",
                "small: 3000000000 is too large for an integer at line 3",
                "protocol: \"http\" is not one of: HTTP, HTTPS at line 4",
                "labels.a: missing value (write \"\" for an empty one) at line 6",
                "labels.b: expected a string, found a mapping at line 7",
                "labels: keys must be plain strings at line 8",
                "codes[1]: empty list entry at line 9",
                "codes[2]: \"x\" is not an integer at line 9",
                "codes[3]: \"0x1F\" is not an integer at line 9",
                "codes[4]: \"010\" is not an integer at line 9",
                "delay: \"5\" is not a duration (expected e.g. 100ms, 1s, 1m30s) at line 10",
                "size: \"1MB\" is not a byte size (expected e.g. 65536, 64Ki, 1Mi) at line 11",
                "text: expected a string, found a list at line 12",
                "nested: expected a mapping, found \"x\" at line 13",
                "other: unknown key (expected one of: flag, big, small, protocol, labels, codes, delay, size, text, "
                        + "nested) at line 14");
    }

    @Test
    void quotedBooleansAreNotBooleans() {
        assertThat(errors("flag: \"true\"\n"))
                .containsExactly("flag: \"true\" is quoted; write a boolean without quotes at line 1");
    }

    @Test
    void recordsTheSourceOfEveryRecord() {
        ConfigErrors errors = new ConfigErrors();
        Node root = StrictYaml.compose("text: a\nnested:\n  name: x\n", 1 << 20, errors);

        RecordBinder.Bound<Sample> bound = RecordBinder.bind(root, Sample.class, errors);

        SourceMap sources = bound.sources();
        assertThat(sources.path(bound.value())).isEmpty();
        assertThat(sources.path(bound.value().nested())).isEqualTo("nested");
        assertThat(sources.line("nested")).isEqualTo(2);
        assertThat(sources.line("nested.name")).isEqualTo(3);
        assertThat(sources.line("nested.absent")).isEqualTo(2);
    }

    private static Sample bind(String yaml) {
        ConfigErrors errors = new ConfigErrors();
        Sample sample = RecordBinder.bind(StrictYaml.compose(yaml, 1 << 20, errors), Sample.class, errors).value();
        assertThat(errors.isEmpty()).as("no errors expected").isTrue();
        return sample;
    }

    private static List<String> errors(String yaml) {
        ConfigErrors errors = new ConfigErrors();
        RecordBinder.bind(StrictYaml.compose(yaml, 1 << 20, errors), Sample.class, errors);
        try {
            errors.throwIfAny("test");
            throw new AssertionError("expected errors");
        } catch (ConfigException e) {
            return e.errors();
        }
    }
}
