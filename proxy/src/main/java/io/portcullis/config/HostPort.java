package io.portcullis.config;

/**
 * A host (DNS name, IPv4 literal, or IPv6 literal stored without brackets) and a port, parsed from the
 * textual forms a config uses. Parsing is purely textual: no DNS lookup happens here.
 * <pre>
 * HostPort.parse("127.0.0.1:9090")              // 127.0.0.1, 9090
 * HostPort.parse("[::1]:9090")                  // ::1, 9090
 * HostPort.parseBackend("http://example.com")   // example.com, 80
 * </pre>
 */
public record HostPort(String host, int port) {
    private static final String HTTP = "http://";
    private static final String HTTPS = "https://";

    /** {@code host:port} or {@code [ipv6]:port}, port 0-65535 (0 = ephemeral, for listen addresses). */
    public static HostPort parse(String text) {
        HostPort parsed = parseAuthority(text, -1);
        if (parsed == null) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: host:port or [ipv6]:port)");
        }
        return parsed;
    }

    /**
     * A route backend's {@code host}: {@code host:port}, {@code [ipv6]:port}, {@code http://host[:port]}
     * (port 80 by default) or {@code https://host[:port]} (port 443 by default; TLS with the system's trust
     * store unless the route's {@code backendTLS} says otherwise), port 1-65535.
     */
    public static HostPort parseBackend(String text) {
        boolean https = isHttps(text);
        boolean http = text.regionMatches(true, 0, HTTP, 0, HTTP.length());
        HostPort parsed = https ? parseAuthority(text.substring(HTTPS.length()), 443)
                : http ? parseAuthority(text.substring(HTTP.length()), 80) : parseAuthority(text, -1);
        if (parsed == null || parsed.port == 0) {
            throw new IllegalArgumentException("\"" + text
                    + "\" (expected: host:port, [ipv6]:port, http://host[:port] or https://host[:port], port 1-65535)");
        }
        return parsed;
    }

    /** Whether a backend {@code host} is written as {@code https://...}, which means TLS to it. */
    public static boolean isHttps(String backend) {
        return backend.regionMatches(true, 0, HTTPS, 0, HTTPS.length());
    }

    /**
     * {@code host[:port]} or {@code [ipv6][:port]}.
     *
     * @param defaultPort the port when none is written, or -1 to require one
     * @return null if {@code text} is not of that form (no path, userinfo or unbracketed IPv6 allowed)
     */
    public static HostPort parseAuthority(String text, int defaultPort) {
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                portText = rest.substring(1);
            }
            if (!Syntax.isIpv6(host)) {
                return null;
            }
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
            if (!Syntax.isHostname(host)) {
                return null;
            }
        }
        if (portText == null) {
            return defaultPort < 0 ? null : new HostPort(host, defaultPort);
        }
        if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) > 65535) {
            return null;
        }
        return new HostPort(host, Integer.parseInt(portText));
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
