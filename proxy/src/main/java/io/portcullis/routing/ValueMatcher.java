package io.portcullis.routing;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A header or query-parameter match: exact value or full-match regex, compiled at load. */
public final class ValueMatcher {
    private final AsciiString headerName;
    private final String name;
    private final String exact;
    private final Pattern regex;

    private ValueMatcher(String name, String exact, Pattern regex) {
        this.name = name;
        this.headerName = AsciiString.cached(name.toLowerCase(java.util.Locale.ROOT));
        this.exact = exact;
        this.regex = regex;
    }

    public static ValueMatcher exact(String name, String value) {
        return new ValueMatcher(name, value, null);
    }

    public static ValueMatcher regex(String name, String regex) {
        return new ValueMatcher(name, null, Pattern.compile(regex));
    }

    /** True when any value of the header matches (repeated headers are checked one by one). */
    boolean matchesHeader(HttpHeaders headers) {
        String first = headers.get(headerName);
        if (first == null) {
            return false;
        }
        if (test(first)) {
            return true;
        }
        List<String> all = headers.getAll(headerName);
        for (int i = 1; i < all.size(); i++) {
            if (test(all.get(i))) {
                return true;
            }
        }
        return false;
    }

    boolean matchesQuery(Map<String, List<String>> params) {
        List<String> values = params.get(name);
        if (values == null) {
            return false;
        }
        for (String v : values) {
            if (test(v)) {
                return true;
            }
        }
        return false;
    }

    private boolean test(String value) {
        return exact != null ? exact.equals(value) : regex.matcher(value).matches();
    }
}
