package io.portcullis.config;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Whole-file environment expansion, run on the raw text before YAML parsing (as agentgateway does), so a
 * variable works anywhere a value can be written:
 * <pre>
 * ${VAR}            value of VAR; an error if VAR is unset (set but empty expands to "")
 * ${VAR:-default}   value of VAR, or default when VAR is unset or empty (like the shell)
 * $$                a literal $
 * </pre>
 * Any other {@code $} is kept as is. Lines whose first non-blank character is {@code #} are YAML comments
 * and are copied untouched, so a commented-out setting can never fail a load. Values must not contain
 * line breaks: a value spliced into one line could otherwise add keys to the document, and every line
 * number in later error messages would be off.
 */
public final class EnvExpander {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String SYNTAX = "(expected ${NAME} or ${NAME:-default})";

    private final Function<String, String> env;
    private final ConfigErrors errors;
    /** Each unset variable is reported once, at its first use, however often it appears. */
    private final Set<String> reportedUnset = new HashSet<>();

    private EnvExpander(Function<String, String> env, ConfigErrors errors) {
        this.env = env;
        this.errors = errors;
    }

    /**
     * Expands {@code text}, or fails listing every problem (all unset variables, all malformed {@code ${}).
     *
     * @param env variable lookup returning null when unset: {@code System::getenv} in production, a map's
     *     {@code get} in tests
     */
    public static String expand(String text, Function<String, String> env) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        String expanded = expand(text, env, errors);
        errors.throwIfAny("text");
        return expanded;
    }

    /**
     * Expands {@code text}, adding problems to {@code errors} and carrying on: an unset variable becomes
     * "" and a malformed reference stays literal, so the caller can still report YAML and config errors
     * from the same file in the same run.
     */
    static String expand(String text, Function<String, String> env, ConfigErrors errors) {
        EnvExpander expander = new EnvExpander(env, errors);
        StringBuilder out = new StringBuilder(text.length());
        int lineNumber = 1;
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            String line = text.substring(start, end);
            if (isComment(line)) {
                out.append(line);
            } else {
                expander.expandLine(line, lineNumber, out);
            }
            start = end;
            lineNumber++;
        }
        return out.toString();
    }

    private void expandLine(String line, int lineNumber, StringBuilder out) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
            if (c != '$' || (next != '$' && next != '{')) {
                out.append(c);
                i++;
            } else if (next == '$') {
                out.append('$');
                i += 2;
            } else {
                int close = line.indexOf('}', i + 2);
                if (close < 0) {
                    errors.addAtLine(lineNumber, "unterminated ${ " + SYNTAX);
                    out.append(line, i, line.length());
                    return;
                }
                out.append(substitute(line.substring(i + 2, close), lineNumber));
                i = close + 1;
            }
        }
    }

    /** The replacement for {@code ${body}}. */
    private String substitute(String body, int lineNumber) {
        int separator = body.indexOf(":-");
        String name = separator < 0 ? body : body.substring(0, separator);
        String fallback = separator < 0 ? null : body.substring(separator + 2);
        if (!NAME.matcher(name).matches()) {
            errors.addAtLine(lineNumber, "\"${" + body + "}\" is not a valid variable reference " + SYNTAX
                    + "; NAME is letters, digits and _; write $$ for a literal $");
            return "${" + body + "}";
        }
        if (fallback != null && fallback.contains("${")) {
            errors.addAtLine(lineNumber, "\"${" + body + "}\": a default cannot contain another ${...}");
            return "${" + body + "}";
        }
        String value = env.apply(name);
        if ((value == null || value.isEmpty()) && fallback != null) {
            return fallback;
        }
        if (value == null) {
            if (reportedUnset.add(name)) {
                errors.addAtLine(lineNumber, "environment variable " + name + " is not set (use ${" + name
                        + ":-default} for a default)");
            }
            return "";
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            errors.addAtLine(lineNumber, "environment variable " + name
                    + " contains a line break, which would change the structure of the YAML");
            return "";
        }
        return value;
    }

    private static boolean isComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t') {
                return c == '#';
            }
        }
        return false;
    }
}
