package io.portcullis.routing;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * What routing looks at, parsed once per request: method, normalised path, raw query, host (lowercase,
 * without port) and headers. Query parameters are decoded only if a matcher asks for them.
 */
public final class RequestView {
    private final HttpMethod method;
    private final String path;
    private final String rawQuery;
    private final String host;
    private final HttpHeaders headers;
    private Map<String, List<String>> queryParams;

    public RequestView(HttpMethod method, String path, String rawQuery, String host, HttpHeaders headers) {
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.host = host;
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

    /** Host without port, lowercase; empty string when the request has none. */
    public String host() {
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
