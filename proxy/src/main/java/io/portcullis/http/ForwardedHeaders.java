package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * Sets {@code X-Forwarded-For} and {@code X-Forwarded-Proto} from the real peer. A client's own values are
 * kept (and extended) only when the peer is a trusted proxy; otherwise they are replaced, so a client
 * cannot forge its address or scheme.
 */
public final class ForwardedHeaders {
    private ForwardedHeaders() {}

    /**
     * @param peerIp the connection's peer address as text (computed once per connection), or null
     * @param peerTrusted whether the peer is one of the trusted proxies
     */
    public static void apply(HttpHeaders headers, String peerIp, boolean peerTrusted, String scheme) {
        String existing = peerTrusted ? headers.get(HeaderNames.X_FORWARDED_FOR) : null;
        if (peerIp != null) {
            headers.set(HeaderNames.X_FORWARDED_FOR, existing == null ? peerIp : existing + ", " + peerIp);
        } else if (!peerTrusted) {
            headers.remove(HeaderNames.X_FORWARDED_FOR);
        }
        if (!peerTrusted || !headers.contains(HeaderNames.X_FORWARDED_PROTO)) {
            headers.set(HeaderNames.X_FORWARDED_PROTO, scheme);
        }
    }
}
