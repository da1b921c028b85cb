package io.portcullis.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects load errors in the order they are found and formats them the one way every stage uses:
 * {@code path: message at line N}, or {@code line N: message} when there is no YAML path yet (env
 * expansion, YAML syntax). Keeps the first {@value #MAX_ERRORS}; a broken file can produce thousands,
 * and nobody reads past the first screen.
 */
final class ConfigErrors {
    static final int MAX_ERRORS = 50;

    private final List<String> messages = new ArrayList<>();
    private final Set<String> paths = new HashSet<>();
    private int omitted;

    /**
     * @param path YAML path such as {@code binds[0].port}, or null/empty for the whole file
     * @param line 1-based line, or 0 when unknown
     */
    void add(String path, int line, String message) {
        if (path != null && !path.isEmpty()) {
            paths.add(path);
        }
        if (messages.size() == MAX_ERRORS) {
            omitted++;
            return;
        }
        messages.add(format(path, line, message));
    }

    /** An error that belongs to a line of the file rather than to a YAML path. */
    void addAtLine(int line, String message) {
        add(null, line, message);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** Every path an error has been reported at so far (a snapshot). */
    Set<String> paths() {
        return Set.copyOf(paths);
    }

    void throwIfAny(String source) throws ConfigException {
        if (messages.isEmpty()) {
            return;
        }
        List<String> all = new ArrayList<>(messages);
        if (omitted > 0) {
            all.add("(" + omitted + " more errors not shown)");
        }
        throw new ConfigException(source, all);
    }

    private static String format(String path, int line, String message) {
        boolean hasPath = path != null && !path.isEmpty();
        if (!hasPath) {
            return line > 0 ? "line " + line + ": " + message : message;
        }
        return path + ": " + message + (line > 0 ? " at line " + line : "");
    }
}
