package io.portcullis.routing;

import java.util.List;
import java.util.Locale;

/**
 * Matches a request host against configured hostnames: exact ({@code api.example.com}) or wildcard
 * ({@code *.example.com}, which matches any host with at least one more label, as Gateway API does).
 * An empty list matches every host.
 */
public final class HostnameMatcher {
    private static final HostnameMatcher ANY = new HostnameMatcher(new String[0], new String[0]);

    private final String[] exact;
    private final String[] suffixes; // ".example.com" for "*.example.com"

    private HostnameMatcher(String[] exact, String[] suffixes) {
        this.exact = exact;
        this.suffixes = suffixes;
    }

    public static HostnameMatcher of(List<String> hostnames) {
        if (hostnames == null || hostnames.isEmpty()) {
            return ANY;
        }
        List<String> exact = new java.util.ArrayList<>();
        List<String> suffixes = new java.util.ArrayList<>();
        for (String h : hostnames) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("*.")) {
                suffixes.add(lower.substring(1));
            } else {
                exact.add(lower);
            }
        }
        return new HostnameMatcher(exact.toArray(new String[0]), suffixes.toArray(new String[0]));
    }

    public boolean matchesAny() {
        return exact.length == 0 && suffixes.length == 0;
    }

    /** True for an exact-name matcher (ranked before wildcards when listeners are chosen). */
    public boolean isExactOnly() {
        return suffixes.length == 0 && exact.length > 0;
    }

    public boolean matches(String host) {
        if (matchesAny()) {
            return true;
        }
        for (String e : exact) {
            if (e.equals(host)) {
                return true;
            }
        }
        for (String s : suffixes) {
            if (host.length() > s.length() && host.endsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
