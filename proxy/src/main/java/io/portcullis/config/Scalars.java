package io.portcullis.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Converts one YAML scalar to a leaf component type. Numbers and booleans must be written as such
 * (plain {@code 8080}, {@code true}), as agentgateway's serde requires; YAML 1.1 spellings that SnakeYAML
 * would also accept ({@code yes}, {@code on}, {@code 0x1F}, {@code 010}, {@code 1_000}) are refused so
 * a value never means something other than what it looks like.
 */
final class Scalars {
    private static final String DECIMAL = "-?(0|[1-9][0-9]*)";

    private Scalars() {}

    static boolean supports(Class<?> type) {
        return type == String.class || type == Integer.class || type == Long.class || type == Boolean.class
                || type == Duration.class || type == ByteSize.class || type.isEnum();
    }

    /** How a value of {@code type} is described in "expected a ..., found ..." errors. */
    static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type == Boolean.class) {
            return "a boolean";
        }
        if (type == Duration.class) {
            return "a duration";
        }
        if (type == ByteSize.class) {
            return "a byte size";
        }
        return "one of: " + constants(type);
    }

    static boolean isNull(ScalarNode node) {
        return Tag.NULL.equals(node.getTag());
    }

    /**
     * @return the value, never null (callers handle YAML null first)
     * @throws IllegalArgumentException with the complete problem, e.g. {@code "abc" is not an integer}
     */
    static Object convert(ScalarNode node, Class<?> type) {
        String text = node.getValue();
        if (type == String.class) {
            return text;
        }
        if (type == Integer.class) {
            long value = integer(node);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(text + " is too large for an integer");
            }
            return (int) value;
        }
        if (type == Long.class) {
            return integer(node);
        }
        if (type == Boolean.class) {
            if (!(text.equals("true") || text.equals("false"))) {
                throw new IllegalArgumentException(quote(text) + " is not a boolean (expected: true or false)");
            }
            requirePlain(node, "a boolean");
            return Boolean.valueOf(text);
        }
        if (type == Duration.class) {
            return GoDuration.parse(text);
        }
        if (type == ByteSize.class) {
            return ByteSizes.parse(text);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(text)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(quote(text) + " is not one of: " + constants(type));
        }
        throw new IllegalStateException("no scalar conversion for " + type);
    }

    private static long integer(ScalarNode node) {
        String text = node.getValue();
        if (!text.matches(DECIMAL)) {
            throw new IllegalArgumentException(quote(text) + " is not an integer");
        }
        requirePlain(node, "an integer");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + " is too large for an integer");
        }
    }

    /** A quoted {@code "8080"} is a string in YAML; say so rather than "not an integer". */
    private static void requirePlain(ScalarNode node, String what) {
        if (!node.isPlain()) {
            throw new IllegalArgumentException(quote(node.getValue()) + " is quoted; write " + what + " without quotes");
        }
    }

    static String quote(String text) {
        return "\"" + text + "\"";
    }

    private static String constants(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> ((Enum<?>) c).name())
                .collect(Collectors.joining(", "));
    }
}
