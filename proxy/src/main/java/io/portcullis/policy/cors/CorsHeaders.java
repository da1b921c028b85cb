package io.portcullis.policy.cors;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The header work of {@code cors} that does not depend on the policy: lists, stripping, {@code Vary}. */
final class CorsHeaders {
    static final AsciiString TRUE = AsciiString.cached("true");
    static final AsciiString WILDCARD = AsciiString.cached("*");
    private static final AsciiString ORIGIN = AsciiString.cached("Origin");
    private static final String PREFIX = "access-control-";

    private CorsHeaders() {}

    /**
     * A configured list as one header value, as agentgateway writes it: {@code *} when the list has it, the
     * entries joined with {@code ,} otherwise, null for a missing or empty list. Header names are
     * lower-cased (agentgateway stores them as {@code HeaderName}); methods are case-sensitive and kept.
     */
    static AsciiString listValue(List<String> entries, boolean headerNames) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        if (entries.contains("*")) {
            return WILDCARD;
        }
        String joined = String.join(",", entries);
        return AsciiString.cached(headerNames ? joined.toLowerCase(Locale.ROOT) : joined);
    }

    /**
     * {@code Access-Control-Request-Headers} as a clean list ({@code a, b}), or null when it names none: what a
     * wildcard {@code allowHeaders} answers with, so that it also works for credentialed requests, where
     * browsers read {@code *} as a header literally named {@code *}.
     */
    static String requestedHeaders(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder list = new StringBuilder(value.length());
        for (String entry : value.split(",")) {
            String name = entry.trim();
            if (!name.isEmpty()) {
                list.append(list.length() == 0 ? "" : ", ").append(name);
            }
        }
        return list.length() == 0 ? null : list.toString();
    }

    /** {@code Access-Control-Request-Method} trimmed, or null when missing or blank. */
    static String requestedMethod(String value) {
        if (value == null) {
            return null;
        }
        String method = value.trim();
        return method.isEmpty() ? null : method;
    }

    /**
     * Removes every {@code Access-Control-*} header: on a route with {@code cors} the gateway alone decides
     * what a browser may do, so a backend (or anything else upstream of this step) cannot widen the policy.
     * Allocates nothing when there is none, which is the normal case.
     */
    static void strip(HttpHeaders headers) {
        List<CharSequence> found = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (name.length() > PREFIX.length()
                    && AsciiString.regionMatches(name, true, 0, PREFIX, 0, PREFIX.length())) {
                if (found == null) {
                    found = new ArrayList<>(4);
                }
                found.add(name);
            }
        }
        if (found != null) {
            for (CharSequence name : found) {
                headers.remove(name);
            }
        }
    }

    /**
     * Adds {@code Origin} to {@code Vary} unless it is there already (or {@code Vary: *}). The answer of a
     * {@code cors} route depends on the request's {@code Origin}, so a cache must not hand the response
     * for one origin (or for none) to another; the Fetch standard asks for {@code Vary: Origin} on every such
     * response, including those without CORS headers.
     */
    static void varyOnOrigin(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.VARY)) {
            headers.set(HttpHeaderNames.VARY, ORIGIN);
            return;
        }
        for (String value : headers.getAll(HttpHeaderNames.VARY)) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (name.equals("*") || name.equalsIgnoreCase("origin")) {
                    return;
                }
            }
        }
        headers.add(HttpHeaderNames.VARY, ORIGIN);
    }
}
