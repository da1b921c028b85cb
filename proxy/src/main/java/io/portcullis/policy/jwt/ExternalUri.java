package io.portcullis.policy.jwt;

import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.http.RequestTarget;
import io.portcullis.policy.RequestContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The request URI as the client addressed it, for {@code htu} checks, normalised as RFC 9449 section 4.3
 * asks (RFC 3986 syntax-based normalisation, query and fragment ignored): lower-case scheme and host,
 * default port dropped, escaped unreserved characters decoded and dot segments removed from the path. The
 * scheme and host come from the listener and the Host header, or from X-Forwarded-Proto / X-Forwarded-Host
 * when the client is a trusted proxy.
 */
final class ExternalUri {
    private static final String FORWARDED_HOST = "x-forwarded-host";
    private static final String FORWARDED_PROTO = "x-forwarded-proto";

    private ExternalUri() {}

    static String of(RequestContext rc) {
        HttpHeaders headers = rc.request().headers();
        String scheme = rc.scheme();
        String host = headers.get("host", "");
        if (rc.peerTrusted()) {
            scheme = firstValue(headers.get(FORWARDED_PROTO), scheme);
            host = firstValue(headers.get(FORWARDED_HOST), host);
        }
        return normalise(scheme, host, rc.view().path());
    }

    /** The normalised form of a {@code htu} claim, or null if it is not an absolute http(s) URI. */
    static String normaliseClaim(String htu) {
        try {
            URI uri = new URI(htu);
            if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getRawUserInfo() != null) {
                return null;
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return normalise(uri.getScheme(), uri.getRawAuthority(), path);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String normalise(String scheme, String authority, String rawPath) {
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            return null;
        }
        String a = authority.toLowerCase(Locale.ROOT);
        String defaultPort = s.equals("https") ? ":443" : ":80";
        if (a.endsWith(defaultPort)) {
            a = a.substring(0, a.length() - defaultPort.length());
        }
        RequestTarget target = RequestTarget.parse(rawPath.startsWith("/") ? rawPath : "/" + rawPath);
        if (target == null) {
            return null;
        }
        return s + "://" + a + target.path();
    }

    private static String firstValue(String header, String fallback) {
        if (header == null || header.isEmpty()) {
            return fallback;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).trim();
    }
}
