package io.portcullis.http;

/**
 * The request-target of a request line split into path, query and (for absolute-form) authority. The path
 * has its dot segments removed (RFC 3986 section 5.2.4) so that routing and the backend see the same
 * resource: {@code /public/../admin} is routed as {@code /admin}, never as {@code /public/...}.
 */
public final class RequestTarget {
    private final String path;
    private final String query;
    private final String authority;
    private final boolean changed;

    private RequestTarget(String path, String query, String authority, boolean changed) {
        this.path = path;
        this.query = query;
        this.authority = authority;
        this.changed = changed;
    }

    /** Parses origin-form ({@code /p?q}) or absolute-form ({@code http://h/p?q}); null when malformed. */
    public static RequestTarget parse(String uri) {
        if (uri.isEmpty()) {
            return null;
        }
        String authority = null;
        String rest = uri;
        if (uri.charAt(0) != '/') {
            int schemeEnd = uri.indexOf("://");
            if (schemeEnd <= 0) {
                return null;
            }
            String scheme = uri.substring(0, schemeEnd);
            if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
                return null;
            }
            int pathStart = uri.indexOf('/', schemeEnd + 3);
            int queryStart = uri.indexOf('?', schemeEnd + 3);
            int end = pathStart < 0 ? (queryStart < 0 ? uri.length() : queryStart)
                    : (queryStart < 0 ? pathStart : Math.min(pathStart, queryStart));
            authority = uri.substring(schemeEnd + 3, end);
            if (authority.isEmpty() || authority.indexOf('@') >= 0) {
                return null;
            }
            rest = end == uri.length() ? "/" : (uri.charAt(end) == '?' ? "/" + uri.substring(end) : uri.substring(end));
        }
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? null : rest.substring(q + 1);
        if (path.indexOf('#') >= 0 || (query != null && query.indexOf('#') >= 0)) {
            return null; // fragments are never sent by conforming clients
        }
        String decoded = path.indexOf('%') < 0 ? path : decodeUnreserved(path);
        if (decoded == null) {
            return null;
        }
        String normalized = removeDotSegments(decoded);
        return new RequestTarget(normalized, query, authority, authority != null || !normalized.equals(path));
    }

    /**
     * Decodes percent-escapes of unreserved characters (RFC 3986 section 6.2.2.2), which never change the
     * resource: {@code /%2e%2e/admin} is {@code /../admin} and must be seen as such by routing. Other
     * escapes (such as {@code %2F}) stay encoded. Returns null for a malformed escape.
     */
    static String decodeUnreserved(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (i + 2 >= path.length()) {
                return null;
            }
            int hi = Character.digit(path.charAt(i + 1), 16);
            int lo = Character.digit(path.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            char decoded = (char) (hi * 16 + lo);
            if (isUnreserved(decoded)) {
                sb.append(decoded);
            } else {
                sb.append('%').append(Character.toUpperCase(path.charAt(i + 1))).append(Character.toUpperCase(path.charAt(i + 2)));
            }
            i += 2;
        }
        return sb.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Removes "." and ".." segments; fast path when the path has none. */
    static String removeDotSegments(String path) {
        if (path.indexOf("/.") < 0) {
            return path;
        }
        String[] segments = path.split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (s.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(s);
            }
        }
        StringBuilder sb = new StringBuilder(path.length());
        for (String s : out) {
            sb.append('/').append(s);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    public String path() {
        return path;
    }

    /** The query without '?', or null. */
    public String query() {
        return query;
    }

    /** The authority of an absolute-form target, or null. */
    public String authority() {
        return authority;
    }

    /** True when {@code path + query} is not the original request-target (absolute form, dot segments). */
    public boolean changed() {
        return changed;
    }

    /** Path and query as sent upstream. */
    public static String pathAndQuery(String path, String query) {
        return query == null ? path : path + '?' + query;
    }
}
