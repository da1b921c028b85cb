package io.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the validators share: turning (record, field) into {@code path: message at line N}, and the
 * checks that recur across records, so each rule's wording exists once.
 *
 * <p>An error is dropped when binding already reported one at the same path or below it: a value that
 * failed to bind is null here, and "missing" or "route has neither backends nor ..." would only repeat
 * the real cause.
 */
final class Reporter {
    private final SourceMap sources;
    private final ConfigErrors errors;
    private final Set<String> bindingErrorPaths;

    Reporter(SourceMap sources, ConfigErrors errors) {
        this.sources = sources;
        this.errors = errors;
        this.bindingErrorPaths = errors.paths();
    }

    String path(Object record) {
        return sources.path(record);
    }

    String path(Object record, String field) {
        return SourceMap.child(sources.path(record), field);
    }

    void error(Object record, String message) {
        errorAt(path(record), message);
    }

    void error(Object record, String field, String message) {
        errorAt(path(record, field), message);
    }

    void errorAt(String path, String message) {
        for (String cause : bindingErrorPaths) {
            if (cause.equals(path) || cause.startsWith(path + ".") || cause.startsWith(path + "[")) {
                return;
            }
        }
        errors.add(path, sources.line(path), message);
    }

    /** Reports a missing value; returns whether it is present. */
    boolean required(Object record, String field, Object value, String expected) {
        if (value == null) {
            error(record, field, "missing (expected: " + expected + ")");
        }
        return value != null;
    }

    /** Reports a missing or empty list; returns whether it has entries. */
    boolean nonEmpty(Object record, String field, List<?> value, String expected) {
        if (value == null || value.isEmpty()) {
            error(record, field, (value == null ? "missing" : "empty") + " (expected: " + expected + ")");
            return false;
        }
        return true;
    }

    void range(Object record, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            error(record, field, value + " (expected: " + min + "-" + max + ")");
        }
    }

    void atLeast(Object record, String field, Integer value, int min) {
        if (value != null && value < min) {
            error(record, field, value + " (expected: >= " + min + ")");
        }
    }

    void positive(Object record, String field, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            error(record, field, GoDuration.format(value) + " (expected: more than 0s)");
        }
    }

    void positive(Object record, String field, ByteSize value) {
        if (value != null && value.bytes() <= 0) {
            error(record, field, ByteSizes.format(value) + " (expected: more than 0)");
        }
    }

    void sizeRange(Object record, String field, ByteSize value, long min, long max) {
        if (value != null && (value.bytes() < min || value.bytes() > max)) {
            error(record, field, ByteSizes.format(value) + " (expected: " + ByteSizes.format(new ByteSize(min))
                    + "-" + ByteSizes.format(new ByteSize(max)) + ")");
        }
    }

    void oneOf(Object record, String field, String value, Set<String> allowed, String expected) {
        if (value != null && !allowed.contains(value)) {
            error(record, field, Scalars.quote(value) + " (expected: " + expected + ")");
        }
    }

    /** For records whose fields are alternatives: exactly one of them must be set. */
    void exactlyOne(Object record, String names, Object... values) {
        int set = 0;
        for (Object value : values) {
            set += value == null ? 0 : 1;
        }
        if (set != 1) {
            error(record, "set exactly one of " + names + (set == 0 ? "" : " (found " + set + ")"));
        }
    }

    void absolutePath(Object record, String field, String value) {
        if (value != null && !value.startsWith("/")) {
            error(record, field, Scalars.quote(value) + " (expected: a path starting with /)");
        }
    }

    void regex(Object record, String field, String value) {
        if (value == null) {
            return;
        }
        try {
            Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            String where = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
            error(record, field, Scalars.quote(value) + " does not compile: " + e.getDescription() + where);
        }
    }
}
