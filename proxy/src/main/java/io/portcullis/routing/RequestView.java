package io.portcullis.routing;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What routing looks at, parsed once per request: method, normalised path, raw query, host (lowercase,
 * without port) and headers. Query parameters are decoded only if a matcher asks for them.
 */
public final class RequestView {
    private final HttpMethod method;
    private final String path;
    private final String rawQuery;
    private final String authority;
    private final HttpHeaders headers;
    private String host;
    private Map<String, List<String>> queryParams;

    /** {@code authority} is the Host value (or the absolute-form authority), possibly with a port. */
    public RequestView(HttpMethod method, String path, String rawQuery, String authority, HttpHeaders headers) {
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.authority = authority;
        this.headers = headers;
    }

    public HttpMethod method() {
        return method;
    }

    /** Path without query, dot segments removed, always starting with '/'. */
    public String path() {
        return path;
    }

    /** Raw query string without '?', or null. */
    public String rawQuery() {
        return rawQuery;
    }

    /**
     * Host without port, lowercase; empty string when the request has none. Computed on first use: with
     * one catch-all listener and routes without hostnames it is never needed.
     */
    public String host() {
        if (host == null) {
            host = hostOf(authority);
        }
        return host;
    }

    /** Host without port, lowercase. */
    static String hostOf(String authority) {
        if (authority.isEmpty()) {
            return authority;
        }
        int end = authority.length();
        if (authority.charAt(0) == '[') {
            int close = authority.indexOf(']');
            return close < 0 ? authority.toLowerCase(Locale.ROOT) : authority.substring(0, close + 1).toLowerCase(Locale.ROOT);
        }
        int colon = authority.indexOf(':');
        if (colon >= 0) {
            end = colon;
        }
        String host = authority.substring(0, end);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return host.toLowerCase(Locale.ROOT);
            }
        }
        return host;
    }


    public HttpHeaders headers() {
        return headers;
    }

    /** Decoded query parameters (first use decodes). */
    public Map<String, List<String>> queryParams() {
        if (queryParams == null) {
            queryParams = rawQuery == null
                    ? Map.of()
                    : new QueryStringDecoder(rawQuery, false).parameters();
        }
        return queryParams;
    }
}
