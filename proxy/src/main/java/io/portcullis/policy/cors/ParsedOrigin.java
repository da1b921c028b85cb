package io.portcullis.policy.cors;

import java.util.Locale;

/**
 * An origin split into scheme, host and port, the way agentgateway compares them: the scheme is {@code http}
 * or {@code https} (any case), the host is compared case-insensitively, and a missing port is the scheme's
 * default, so {@code https://Example.com} and {@code https://example.com:443} are the same origin. Anything
 * after the authority (a path, even a lone {@code /}, a query or a fragment) makes the text no origin.
 *
 * <p>Unlike agentgateway, the host is limited to host-name characters or a bracketed IPv6 literal: a header
 * such as {@code https://evil.test@app.example.com} is no origin rather than a host that a {@code *} pattern
 * could match. Browsers never send such a value, so nothing a browser sends is refused by this.
 *
 * <p>In an allowed-origin pattern the host may contain {@code *}, which matches any run of characters
 * (including dots and the empty run), as in agentgateway: {@code https://*.example.com}, {@code https://*}.
 */
record ParsedOrigin(String scheme, String host, int port) {

    /** Parses a request's {@code Origin}; null when it is not an http(s) origin (e.g. {@code null}). */
    static ParsedOrigin parse(String text) {
        return parse(text, false);
    }

    /** Parses an {@code allowOrigins} entry, whose host may contain {@code *}; null when invalid. */
    static ParsedOrigin parsePattern(String text) {
        return parse(text, true);
    }

    private static ParsedOrigin parse(String text, boolean wildcardHost) {
        int sep = text.indexOf("://");
        if (sep < 0) {
            return null;
        }
        String scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
        if (defaultPort < 0) {
            return null;
        }
        String authority = text.substring(sep + 3);
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = authority.substring(0, close + 1);
            if (close + 1 == authority.length()) {
                portText = null;
            } else if (authority.charAt(close + 1) == ':') {
                portText = authority.substring(close + 2);
            } else {
                return null;
            }
            if (!isIpv6Literal(host)) {
                return null;
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (!isHostText(host, wildcardHost)) {
                return null;
            }
        }
        int port = portText == null ? defaultPort : port(portText);
        if (port < 0) {
            return null;
        }
        return new ParsedOrigin(scheme, host.toLowerCase(Locale.ROOT), port);
    }

    /** 1-65535 written as plain digits, else -1. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    private static boolean isHostText(String host, boolean wildcard) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || (wildcard && c == '*');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Literal(String bracketed) {
        if (bracketed.length() < 4) {
            return false;
        }
        for (int i = 1; i < bracketed.length() - 1; i++) {
            char c = bracketed.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether this has a {@code *} in its host, so it must be matched as a pattern. */
    boolean isWildcard() {
        return host.indexOf('*') >= 0;
    }

    /**
     * How a browser writes this origin in an {@code Origin} header: lower case, default port left out. A
     * request whose header equals one of these needs no parsing.
     */
    String serialized() {
        boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
        return defaultPort ? scheme + "://" + host : scheme + "://" + host + ":" + port;
    }

    /** Whether {@code origin} (a parsed request origin) is matched by this (an allowed-origin pattern). */
    boolean matches(ParsedOrigin origin) {
        return scheme.equals(origin.scheme) && port == origin.port && glob(host, origin.host);
    }

    /**
     * {@code *} matches any run of characters. Iterative with one backtrack point, so the cost is bounded by
     * pattern length × value length and never exponential.
     */
    static boolean glob(String pattern, String value) {
        int p = 0;
        int v = 0;
        int star = -1;
        int starMatch = 0;
        while (v < value.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starMatch = v;
            } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
                p++;
                v++;
            } else if (star >= 0) {
                p = star + 1;
                v = ++starMatch;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
