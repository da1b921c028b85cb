package io.portcullis.routing;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code matches[]} entry compiled at load: path (exact / element-wise prefix / full regex), method,
 * headers and query parameters, all AND-ed.
 */
public final class CompiledMatch {
    /** How the path is compared. */
    public enum PathKind { EXACT, PREFIX, REGEX }

    private final PathKind pathKind;
    private final String pathValue;
    private final Pattern pathPattern;
    private final HttpMethod method;
    private final ValueMatcher[] headers;
    private final ValueMatcher[] query;

    public CompiledMatch(PathKind pathKind, String pathValue, HttpMethod method,
                         List<ValueMatcher> headers, List<ValueMatcher> query) {
        this.pathKind = pathKind;
        this.pathValue = pathValue;
        this.pathPattern = pathKind == PathKind.REGEX ? Pattern.compile(pathValue) : null;
        this.method = method;
        this.headers = headers.toArray(new ValueMatcher[0]);
        this.query = query.toArray(new ValueMatcher[0]);
    }

    /** The agentgateway default: {@code pathPrefix: /}. */
    public static CompiledMatch everything() {
        return new CompiledMatch(PathKind.PREFIX, "/", null, List.of(), List.of());
    }

    public PathKind pathKind() {
        return pathKind;
    }

    public String pathValue() {
        return pathValue;
    }

    public boolean matches(RequestView request) {
        if (method != null && !method.equals(request.method())) {
            return false;
        }
        if (!matchesPath(request.path())) {
            return false;
        }
        for (ValueMatcher h : headers) {
            if (!h.matchesHeader(request.headers())) {
                return false;
            }
        }
        for (ValueMatcher q : query) {
            if (!q.matchesQuery(request.queryParams())) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesPath(String path) {
        switch (pathKind) {
            case EXACT:
                return path.equals(pathValue);
            case PREFIX:
                return PathPrefix.matches(pathValue, path);
            default:
                return pathPattern.matcher(path).matches();
        }
    }
}
