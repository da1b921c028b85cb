package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "0, 0",
        "65536, 65536",
        "64Ki, 65536",
        "64KiB, 65536",
        "1Mi, 1048576",
        "1MiB, 1048576",
        "2Gi, 2147483648",
        "2GiB, 2147483648",
    })
    void parsesBytesAndBinarySuffixes(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(new ByteSize(bytes));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "-1", "1k", "1K", "1M", "1G", "1KB", "1ki", "1.5Mi", "Mi", "1 Mi", "0x10", "1Ti"})
    void rejectsOtherSpellings(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a byte size (expected e.g. 65536, 64Ki, 1Mi)");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"9223372036854775808", "8589934592Gi", "99999999999999999999999"})
    void rejectsOverflow(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is too large for a byte size");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 0", "1000, 1000", "1024, 1Ki", "32768, 32Ki", "1048576, 1Mi", "1049600, 1025Ki", "3221225472, 3Gi"})
    void formatsTheShortestExactForm(long bytes, String text) {
        assertThat(ByteSizes.format(new ByteSize(bytes))).isEqualTo(text);
        assertThat(ByteSizes.parse(text)).isEqualTo(new ByteSize(bytes));
    }
}
