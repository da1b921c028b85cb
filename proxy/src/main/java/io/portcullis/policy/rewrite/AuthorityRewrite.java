package io.portcullis.policy.rewrite;

/** {@code authority: {full}} / {@code {host}} (keeps the port) / {@code {port}} (keeps the host). */
public final class AuthorityRewrite {
    private final String full;
    private final String host;
    private final Integer port;

    public AuthorityRewrite(String full, String host, Integer port) {
        this.full = full;
        this.host = host;
        this.port = port;
    }

    /** The new authority given the request's {@code Host} value (may be empty). */
    public String apply(String requestAuthority) {
        if (full != null) {
            return full;
        }
        String reqHost = requestAuthority;
        String reqPort = null;
        int colon = requestAuthority.lastIndexOf(':');
        if (colon > requestAuthority.lastIndexOf(']')) {
            reqHost = requestAuthority.substring(0, colon);
            reqPort = requestAuthority.substring(colon + 1);
        }
        if (host != null) {
            return reqPort == null ? host : host + ":" + reqPort;
        }
        return reqHost + ":" + port;
    }
}
