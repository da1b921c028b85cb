package io.portcullis.http;

/**
 * Walks the comma-separated tokens of a header value (RFC 9110 section 5.6.1), trimmed of spaces and tabs,
 * comparing them without allocating. Short-lived and local, so the JIT can keep it off the heap.
 *
 * <pre>
 * HeaderTokens t = new HeaderTokens(value);
 * while (t.advance()) { if (t.is(HttpHeaderValues.CLOSE)) ... }
 * </pre>
 */
final class HeaderTokens {
    private final CharSequence value;
    private int next;
    private int start;
    private int end;

    HeaderTokens(CharSequence value) {
        this.value = value;
    }

    /** Moves to the next non-empty token; false when there is none. */
    boolean advance() {
        int len = value.length();
        while (next < len) {
            int s = next;
            int e = s;
            while (e < len && value.charAt(e) != ',') {
                e++;
            }
            next = e + 1;
            while (s < e && isSpace(value.charAt(s))) {
                s++;
            }
            while (e > s && isSpace(value.charAt(e - 1))) {
                e--;
            }
            if (e > s) {
                start = s;
                end = e;
                return true;
            }
        }
        return false;
    }

    /** Whether the current token equals {@code token} (ASCII, case-insensitive). */
    boolean is(CharSequence token) {
        if (end - start != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (lower(value.charAt(start + i)) != lower(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    String text() {
        return value.subSequence(start, end).toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
