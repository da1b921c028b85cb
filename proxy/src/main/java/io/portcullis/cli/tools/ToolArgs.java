package io.portcullis.cli.tools;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of a subcommand, checked against the names it knows. */
final class ToolArgs {
    private final String command;
    private final Map<String, String> values = new HashMap<>();

    private ToolArgs(String command) {
        this.command = command;
    }

    /** Parses {@code args[1..]}; throws IllegalArgumentException (a usage error) for anything unexpected. */
    static ToolArgs parse(String[] args, Set<String> known) {
        ToolArgs parsed = new ToolArgs(args[0]);
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !known.contains(a.substring(2))) {
                throw new IllegalArgumentException(args[0] + ": unknown option " + a);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[0] + ": " + a + " needs a value");
            }
            if (parsed.values.put(a.substring(2), args[++i]) != null) {
                throw new IllegalArgumentException(args[0] + ": " + a + " given twice");
            }
        }
        return parsed;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(command + ": --" + name + " is required");
        }
        return v;
    }

    String optional(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    Path path(String name) {
        return Path.of(required(name));
    }

    long number(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": --" + name + " must be a positive integer, not " + v);
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
