package io.portcullis.config;

import java.util.List;
import java.util.Objects;

/**
 * A config file that cannot be used. Carries every problem found, not just the first, so an operator
 * fixes a file in one pass. Each entry is a complete message naming the YAML path and line, e.g.
 * {@code binds[0].port: 70000 (expected: 1-65535, or 0 for an ephemeral port) at line 3}.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> errors;

    /**
     * @param source what was loaded (a file name), for callers that print it next to the errors
     * @param errors one or more complete messages
     */
    public ConfigException(String source, List<String> errors) {
        super(String.join("\n", errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("errors: empty (expected: at least one)");
        }
        this.source = Objects.requireNonNull(source, "source");
        this.errors = List.copyOf(errors);
    }

    /** The name of what was loaded, as passed to {@link ConfigLoader#parse}. */
    public String source() {
        return source;
    }

    /** Every problem found, in the order found; {@link #getMessage()} joins them with newlines. */
    public List<String> errors() {
        return errors;
    }
}
