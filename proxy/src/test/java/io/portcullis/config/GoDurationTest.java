package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
        "0, 0",
        "0s, 0",
        "300ms, 300000000",
        "1.5s, 1500000000",
        "1m30s, 90000000000",
        "2h45m, 9900000000000",
        "1h1m1s1ms1us1ns, 3661001001001",
        "10ns, 10",
        "7us, 7000",
        "7\u00b5s, 7000",
        "7\u03bcs, 7000",
        ".5s, 500000000",
        "5.s, 5000000000",
        "0.000000001s, 1",
        "1.0000000001s, 1000000000",
        "1.123456789s, 1123456789",
        "2562047h47m16.854775807s, 9223372036854775807",
    })
    void parsesGoSyntax(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "", "1", "1x", "s", ".s", "-1s", "+1s", " 1s", "1s ", "1 s", "1S", "1sec", "1d", "1.5.5s", "1..5s",
        "2562047h47m16.854775808s", "9223372036854775808ns", "99999999999999999999h", "1e3s",
    })
    void rejectsEverythingElse(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a duration (expected e.g. 100ms, 1s, 1m30s)");
    }

    @ParameterizedTest(name = "{1} ns -> {0}")
    @CsvSource({
        "0s, 0",
        "1ns, 1",
        "1.5us, 1500",
        "250ms, 250000000",
        "1.000001ms, 1000001",
        "1s, 1000000000",
        "1.5s, 1500000000",
        "1m30s, 90000000000",
        "2h, 7200000000000",
        "1h0.5s, 3600500000000",
        "1h1m, 3660000000000",
    })
    void formatsWithoutZeroComponents(String text, long nanos) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @Test
    void formatIsReadBackToTheSameValue() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Duration d = Duration.ofNanos(random.nextLong() & Long.MAX_VALUE >>> random.nextInt(63));
            assertThat(GoDuration.parse(GoDuration.format(d))).as(GoDuration.format(d)).isEqualTo(d);
        }
    }
}
