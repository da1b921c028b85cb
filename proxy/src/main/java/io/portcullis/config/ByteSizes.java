package io.portcullis.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints {@link ByteSize}: a plain integer number of bytes, or an integer with a binary
 * suffix {@code Ki}, {@code Mi}, {@code Gi} (also written {@code KiB}, {@code MiB}, {@code GiB}).
 * Decimal suffixes ({@code k}, {@code M}, {@code G}) are deliberately not accepted: whether {@code 1M}
 * means 10^6 or 2^20 is exactly the ambiguity a limit should not have.
 */
public final class ByteSizes {
    static final Pattern SYNTAX = Pattern.compile("([0-9]+)(?:(Ki|Mi|Gi)B?)?");
    private static final long KI = 1024;

    private ByteSizes() {}

    /** @throws IllegalArgumentException {@code "12Q" is not a byte size (expected e.g. 65536, 64Ki, 1Mi)} */
    public static ByteSize parse(String text) {
        Matcher matcher = SYNTAX.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not a byte size (expected e.g. 65536, 64Ki, 1Mi)");
        }
        String suffix = matcher.group(2);
        long multiplier = suffix == null ? 1 : switch (suffix) {
            case "Ki" -> KI;
            case "Mi" -> KI * KI;
            default -> KI * KI * KI;
        };
        try {
            return new ByteSize(Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("\"" + text + "\" is too large for a byte size");
        }
    }

    /** The shortest exact form {@link #parse} accepts: {@code 64Ki}, {@code 1Mi}, {@code 1000}. */
    public static String format(ByteSize size) {
        long bytes = size.bytes();
        String[] suffixes = {"Gi", "Mi", "Ki"};
        long unit = KI * KI * KI;
        for (String suffix : suffixes) {
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + suffix;
            }
            unit /= KI;
        }
        return Long.toString(bytes);
    }
}
