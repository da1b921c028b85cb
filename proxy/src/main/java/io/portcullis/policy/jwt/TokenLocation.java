package io.portcullis.policy.jwt;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.portcullis.policy.RequestContext;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where {@code jwtAuth} reads the token, and how it removes it before forwarding: a header (default
 * {@code Authorization} with prefix {@code "Bearer "}; with DPoP configured also the {@code DPoP} scheme),
 * a query parameter, or a cookie (for EventSource clients, which cannot set headers).
 */
abstract class TokenLocation {

    /**
     * A token as found: the raw value it is in (the whole header value, prefix included), where the token
     * starts, and the scheme it came with. The raw value is the verified-token cache's key, so a repeated
     * token is looked up without cutting it out of its header first.
     */
    static final class Found {
        final String raw;
        final int start;
        final DpopChecker.Scheme scheme;
        private String token;

        Found(String raw, int start, DpopChecker.Scheme scheme) {
            this.raw = raw;
            this.start = start;
            this.scheme = scheme;
        }

        /** The token itself (cut out on first use). */
        String token() {
            if (token == null) {
                token = start == 0 ? raw.trim() : raw.substring(start).trim();
            }
            return token;
        }

        DpopChecker.Scheme scheme() {
            return scheme;
        }

        /** Null (no token) when nothing but blanks follows {@code start}. */
        static Found of(String raw, int start, DpopChecker.Scheme scheme) {
            for (int i = start; i < raw.length(); i++) {
                if (raw.charAt(i) > ' ') {
                    return new Found(raw, start, scheme);
                }
            }
            return null;
        }
    }

    /** More than one credential in this location: never "no token", which optional mode would forward unchecked. */
    static final Found AMBIGUOUS = new Found(null, 0, DpopChecker.Scheme.OTHER);

    /** The token in the request, or null when there is none. */
    abstract Found find(RequestContext rc);

    /** Removes the token from the request so the backend never sees the client's credential. */
    abstract void strip(RequestContext rc);

    static TokenLocation header(String name, String prefix, boolean acceptDpopScheme) {
        return new Header(name, prefix, acceptDpopScheme);
    }

    static TokenLocation query(String name) {
        return new Query(name);
    }

    static TokenLocation cookie(String name) {
        return new CookieLocation(name);
    }

    private static final class Header extends TokenLocation {
        private static final String DPOP_PREFIX = "DPoP ";
        private final String name;
        private final String prefix;
        private final boolean dpopScheme;

        Header(String name, String prefix, boolean dpopScheme) {
            this.name = name;
            this.prefix = prefix == null ? "" : prefix;
            this.dpopScheme = dpopScheme && HttpHeaderNames.AUTHORIZATION.contentEqualsIgnoreCase(name);
        }

        @Override
        Found find(RequestContext rc) {
            Iterator<String> values = rc.request().headers().valueStringIterator(name);
            if (!values.hasNext()) {
                return null;
            }
            String value = values.next();
            if (values.hasNext()) {
                return AMBIGUOUS;
            }
            if (dpopScheme && value.regionMatches(true, 0, DPOP_PREFIX, 0, DPOP_PREFIX.length())) {
                return Found.of(value, DPOP_PREFIX.length(), DpopChecker.Scheme.DPOP);
            }
            if (value.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return Found.of(value, prefix.length(), prefix.isEmpty()
                        ? DpopChecker.Scheme.OTHER : DpopChecker.Scheme.BEARER);
            }
            return null;
        }

        @Override
        void strip(RequestContext rc) {
            rc.request().headers().remove(name);
        }
    }

    private static final class Query extends TokenLocation {
        private final String name;

        Query(String name) {
            this.name = name;
        }

        @Override
        Found find(RequestContext rc) {
            Map<String, List<String>> params = rc.view().queryParams();
            List<String> values = params.get(name);
            if (values != null && values.size() > 1) {
                return AMBIGUOUS;
            }
            return values == null ? null : Found.of(values.get(0), 0, DpopChecker.Scheme.OTHER);
        }

        @Override
        void strip(RequestContext rc) {
            String raw = rc.view().rawQuery();
            if (raw == null) {
                return;
            }
            // Split and decode exactly as find() does (QueryStringDecoder: '&' and ';' separate, names are
            // percent-decoded), or a token found under access%5Ftoken or after a ';' would be forwarded.
            StringJoiner kept = new StringJoiner("&");
            for (String pair : raw.split("[&;]", -1)) {
                int eq = pair.indexOf('=');
                String key = QueryStringDecoder.decodeComponent(eq < 0 ? pair : pair.substring(0, eq));
                if (!pair.isEmpty() && !key.equals(name)) {
                    kept.add(pair);
                }
            }
            rc.query(kept.length() == 0 ? null : kept.toString());
        }
    }

    private static final class CookieLocation extends TokenLocation {
        private final String name;

        CookieLocation(String name) {
            this.name = name;
        }

        @Override
        Found find(RequestContext rc) {
            String token = null;
            for (String header : rc.request().headers().getAll(HttpHeaderNames.COOKIE)) {
                for (Cookie c : ServerCookieDecoder.STRICT.decodeAll(header)) {
                    if (c.name().equals(name)) {
                        if (token != null) {
                            return AMBIGUOUS;
                        }
                        token = c.value();
                    }
                }
            }
            return token == null ? null : Found.of(token, 0, DpopChecker.Scheme.OTHER);
        }

        @Override
        void strip(RequestContext rc) {
            HttpHeaders headers = rc.request().headers();
            List<String> all = headers.getAll(HttpHeaderNames.COOKIE);
            StringJoiner kept = new StringJoiner("; ");
            for (String header : all) {
                for (String part : header.split(";")) {
                    String p = part.trim();
                    if (!p.isEmpty() && !p.startsWith(name + "=")) {
                        kept.add(p);
                    }
                }
            }
            headers.remove(HttpHeaderNames.COOKIE);
            if (kept.length() > 0) {
                headers.set(HttpHeaderNames.COOKIE, kept.toString());
            }
        }
    }
}
