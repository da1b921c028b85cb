package io.portcullis.config;

import java.time.Duration;

/**
 * Durations in Go's {@code time.ParseDuration} syntax, the syntax agentgateway configs use:
 * a sequence of decimal numbers, each with an optional fraction and a unit, e.g. {@code 300ms},
 * {@code 1.5s}, {@code 1m30s}, {@code 2h45m}. Units: {@code ns}, {@code us} (or {@code µs}),
 * {@code ms}, {@code s}, {@code m}, {@code h}. {@code 0} alone is allowed. Unlike Go, a sign is not:
 * no config duration can be negative. Values are limited to Go's range (about 292 years) so that every
 * config value can be written back in the same syntax.
 */
public final class GoDuration {
    private static final long MICRO = 1_000L;
    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private GoDuration() {}

    /** @throws IllegalArgumentException {@code "1x" is not a duration (expected e.g. 100ms, 1s, 1m30s)} */
    public static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.isEmpty()) {
            throw invalid(text);
        }
        long total = 0;
        int i = 0;
        while (i < text.length()) {
            int start = i;
            long whole = 0;
            for (; i < text.length() && isDigit(text.charAt(i)); i++) {
                int digit = text.charAt(i) - '0';
                if (whole > (Long.MAX_VALUE - digit) / 10) {
                    throw invalid(text);
                }
                whole = whole * 10 + digit;
            }
            boolean hasWhole = i > start;
            // Like Go: keep the fraction as an integer plus scale, and stop accumulating digits that no
            // longer fit (they are below nanosecond precision anyway).
            long fraction = 0;
            double scale = 1;
            boolean hasFraction = false;
            if (i < text.length() && text.charAt(i) == '.') {
                i++;
                for (; i < text.length() && isDigit(text.charAt(i)); i++) {
                    hasFraction = true;
                    if (fraction < Long.MAX_VALUE / 100) {
                        fraction = fraction * 10 + (text.charAt(i) - '0');
                        scale *= 10;
                    }
                }
            }
            if (!hasWhole && !hasFraction) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < text.length() && text.charAt(i) != '.' && !isDigit(text.charAt(i))) {
                i++;
            }
            long unit = unitNanos(text.substring(unitStart, i));
            if (unit == 0 || whole > Long.MAX_VALUE / unit) {
                throw invalid(text);
            }
            long value = whole * unit + (long) (fraction * (unit / scale));
            total += value;
            if (value < 0 || total < 0) {
                throw invalid(text);
            }
        }
        return Duration.ofNanos(total);
    }

    /**
     * Go-style text that {@link #parse} reads back to the same value, without Go's zero components:
     * {@code 2h} rather than {@code 2h0m0s}, {@code 1m30s}, {@code 1.5s}, {@code 250ms}, {@code 0s}.
     * Uses {@code us} rather than {@code µs} to stay ASCII.
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long seconds = duration.getSeconds();
        long nanos = duration.getNano();
        if (seconds == 0) {
            if (nanos < MICRO) {
                return nanos + "ns";
            }
            return nanos < MILLI ? decimal(nanos, MICRO) + "us" : decimal(nanos, MILLI) + "ms";
        }
        StringBuilder text = new StringBuilder();
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long restNanos = seconds % 60 * SECOND + nanos;
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (restNanos > 0) {
            text.append(decimal(restNanos, SECOND)).append('s');
        }
        return text.toString();
    }

    /** {@code value / unit} as a decimal without trailing zeros: decimal(1500, 1000) = "1.5". */
    private static String decimal(long value, long unit) {
        long whole = value / unit;
        long fraction = value % unit;
        if (fraction == 0) {
            return Long.toString(whole);
        }
        int width = Long.toString(unit).length() - 1;
        String digits = String.format("%0" + width + "d", fraction).replaceAll("0+$", "");
        return whole + "." + digits;
    }

    /** Nanoseconds per unit, or 0 for an unknown unit. */
    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            // "\u00b5" is the micro sign Go prints; Go also accepts the Greek small letter mu "\u03bc".
            case "us", "\u00b5s", "\u03bcs" -> MICRO;
            case "ms" -> MILLI;
            case "s" -> SECOND;
            case "m" -> MINUTE;
            case "h" -> HOUR;
            default -> 0;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "\"" + text + "\" is not a duration (expected e.g. 100ms, 1s, 1m30s)");
    }
}
