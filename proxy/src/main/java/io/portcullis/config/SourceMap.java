package io.portcullis.config;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each bound value came from, kept beside the records (which mirror the YAML and nothing else) so
 * that checks after binding can still say {@code binds[1].port: ... at line 20}. Records are keyed by
 * identity: two routes with equal content are still two places in the file.
 */
final class SourceMap {
    private final Map<Object, String> recordPaths = new IdentityHashMap<>();
    private final Map<String, Integer> lines = new HashMap<>();

    /** {@code a.b} from {@code a} and {@code b}; the root's path is "". */
    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** {@code a[2]} from {@code a} and 2. */
    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    void putRecord(Object record, String path) {
        recordPaths.put(record, path);
    }

    void putLine(String path, int line) {
        lines.putIfAbsent(path, line);
    }

    /** The YAML path of a record bound from the file. */
    String path(Object record) {
        String path = recordPaths.get(record);
        if (path == null) {
            throw new IllegalArgumentException("not bound from this file: " + record);
        }
        return path;
    }

    /**
     * The 1-based line of {@code path}; for a key that is absent from the file, the line of the nearest
     * enclosing value that is present (a missing {@code port} is reported where its bind starts).
     */
    int line(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
        }
        return lines.getOrDefault("", 0);
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
