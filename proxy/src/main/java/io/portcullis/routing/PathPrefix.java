package io.portcullis.routing;

/**
 * Element-wise path prefix (Gateway API semantics): {@code /mcp} matches {@code /mcp}, {@code /mcp/} and
 * {@code /mcp/tools}, never {@code /mcpx}. A trailing slash in the prefix is ignored for the comparison.
 */
public final class PathPrefix {
    private PathPrefix() {}

    public static boolean matches(String prefix, String path) {
        int len = prefix.length();
        if (len > 1 && prefix.charAt(len - 1) == '/') {
            len--;
        }
        if (len == 1) { // "/" matches everything
            return true;
        }
        if (!path.regionMatches(0, prefix, 0, len)) {
            return false;
        }
        return path.length() == len || path.charAt(len) == '/';
    }

    /** Length of the prefix as used for matching (trailing slash dropped), for prefix rewrites. */
    public static int matchedLength(String prefix) {
        int len = prefix.length();
        return len > 1 && prefix.charAt(len - 1) == '/' ? len - 1 : len;
    }
}
