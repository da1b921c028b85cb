package io.portcullis.config;

import io.portcullis.config.policy.CorsConfig;
import java.util.List;
import java.util.Locale;

/**
 * Checks {@code cors}: origins are {@code *} or {@code scheme://host[:port]} (the host may hold agentgateway's
 * {@code *} wildcard), credentials are never combined with an origin that matches everything, methods and
 * header names are tokens, and {@code maxAge} is whole seconds or a duration.
 *
 * <p>Everything that passes here is an origin to {@code io.portcullis.policy.cors.ParsedOrigin}, which compiles
 * the list, so a listed origin is never silently unmatchable (a test holds the two to that); this check is the
 * stricter one, e.g. on empty DNS labels.
 */
final class CorsValidator {
    private static final String ORIGIN_EXAMPLE = "e.g. https://app.example.com, https://*.example.com or *";
    private static final String MAX_AGE_EXAMPLE = "seconds such as 600, or a duration such as 10m";

    private final Reporter report;

    CorsValidator(Reporter report) {
        this.report = report;
    }

    void validate(CorsConfig config) {
        boolean credentials = Boolean.TRUE.equals(config.allowCredentials());
        List<String> origins = config.allowOrigins();
        for (int i = 0; origins != null && i < origins.size(); i++) {
            String origin = origins.get(i);
            if (origin == null) {
                continue;
            }
            String problem = originProblem(origin);
            if (problem == null && credentials && matchesEveryHost(origin)) {
                problem = Scalars.quote(origin) + " cannot be combined with allowCredentials: true (browsers refuse "
                        + "credentials for the wildcard origin, and answering every origin instead would let any "
                        + "site read responses made with the user's credentials; list the origins)";
            }
            if (problem != null) {
                report.errorAt(SourceMap.element(report.path(config, "allowOrigins"), i), problem);
            }
        }
        tokens(config, "allowMethods", config.allowMethods(), true);
        tokens(config, "allowHeaders", config.allowHeaders(), false);
        tokens(config, "exposeHeaders", config.exposeHeaders(), false);
        String maxAge = config.maxAge();
        if (maxAge != null) {
            String problem = maxAgeProblem(maxAge);
            if (problem != null) {
                report.error(config, "maxAge", problem);
            }
        }
    }

    /** {@code *}, or a valid origin whose host is only {@code *} ({@code https://*}): every site of a scheme. */
    private static boolean matchesEveryHost(String origin) {
        if (origin.equals("*")) {
            return true;
        }
        String authority = origin.substring(origin.indexOf("://") + 3);
        int colon = authority.indexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        return host.chars().allMatch(c -> c == '*');
    }

    /** Null when {@code origin} is {@code *} or {@code scheme://host[:port]}; else what is wrong with it. */
    static String originProblem(String origin) {
        if (origin.equals("*")) {
            return null;
        }
        String quoted = Scalars.quote(origin);
        int sep = origin.indexOf("://");
        if (sep < 0) {
            return quoted + " is not an origin (expected: scheme://host[:port], " + ORIGIN_EXAMPLE + ")";
        }
        String scheme = origin.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return quoted + " has scheme " + Scalars.quote(origin.substring(0, sep)) + " (expected: http or https)";
        }
        String authority = origin.substring(sep + 3);
        if (authority.indexOf('/') >= 0 || authority.indexOf('?') >= 0 || authority.indexOf('#') >= 0) {
            return quoted + " has a path (expected: scheme://host[:port] and nothing after it, not even /: "
                    + "browsers send origins without a path, so this would never match)";
        }
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority : authority.substring(1, close);
            String rest = close < 0 ? "" : authority.substring(close + 1);
            if (close < 0 || !Syntax.isIpv6(host) || !(rest.isEmpty() || rest.startsWith(":"))) {
                return quoted + " has an invalid IPv6 host (expected e.g. http://[::1]:8080)";
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            // A * stands for any run of characters, so the rest must be a host name with it in place of a part.
            if (!Syntax.isHostname(host.replace("*", "x"))) {
                return quoted + " has an invalid host (expected: a host name such as app.example.com, a wildcard "
                        + "such as *.example.com, or an IP address)";
            }
        }
        if (port != null && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535)) {
            return quoted + " has an invalid port (expected: 1-65535)";
        }
        return null;
    }

    private void tokens(CorsConfig config, String field, List<String> values, boolean methods) {
        for (int i = 0; values != null && i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.equals("*")) {
                continue;
            }
            String problem = null;
            if (methods && !(Syntax.isToken(value) && value.equals(value.toUpperCase(Locale.ROOT)))) {
                problem = Scalars.quote(value) + " (expected: an uppercase method such as GET or POST, or *)";
            } else if (!methods && !Syntax.isToken(value)) {
                problem = Scalars.quote(value) + " is not a valid header name";
            }
            if (problem != null) {
                report.errorAt(SourceMap.element(report.path(config, field), i), problem);
            }
        }
    }

    private static String maxAgeProblem(String text) {
        if (text.startsWith("-")) {
            return Scalars.quote(text) + " is negative (expected: " + MAX_AGE_EXAMPLE + ")";
        }
        if (text.matches("[0-9]+")) {
            try {
                Long.parseLong(text);
                return null;
            } catch (NumberFormatException e) {
                return text + " is too large (expected: " + MAX_AGE_EXAMPLE + ")";
            }
        }
        try {
            GoDuration.parse(text);
            return null;
        } catch (IllegalArgumentException e) {
            return Scalars.quote(text) + " (expected: " + MAX_AGE_EXAMPLE + ")";
        }
    }
}
