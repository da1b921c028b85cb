package io.portcullis.policy.ratelimit;

import io.netty.util.AsciiString;
import io.portcullis.config.policy.RateLimitConfig.RateLimitKeyConfig;
import io.portcullis.policy.RequestContext;
import java.util.Map;

/**
 * The client a keyed bucket belongs to: a top-level JWT claim, a request header, or the client IP. Requests
 * without the claim or header (or with an empty one) are keyed by their client IP instead, so that a limit
 * "per user" still limits anonymous clients, each by address.
 *
 * <p>Keys are namespaced by type: a claim or header value is a {@link String}, a fallback IP is a
 * {@link PeerIp}, so a client cannot send {@code x-user: 10.0.0.7} to drain the bucket of the client at
 * 10.0.0.7 (nor the reverse). A limit keyed by {@code ip} uses the IP string itself: with only one kind of
 * key there is nothing to collide with, and the common paths allocate nothing.
 *
 * <p>A header is whatever the client sends, so a header key limits cooperating clients, or headers an
 * authenticating proxy in front sets (such as {@code x-remote-user}, which Portcullis strips unless it comes
 * from a trusted identity proxy); a client that varies the value gets a new bucket each time. Claims come
 * from a token {@code jwtAuth} validated.
 */
sealed interface ClientKey {

    static ClientKey of(RateLimitKeyConfig config) {
        if (config.claim() != null) {
            return new Claim(config.claim());
        }
        if (config.header() != null) {
            return new Header(AsciiString.cached(config.header()));
        }
        return new PeerAddress();
    }

    /** The bucket key of this request: never null. */
    Object keyOf(RequestContext ctx);

    /** A client IP that stands in for a missing claim or header value. */
    record PeerIp(String ip) {}

    record Claim(String name) implements ClientKey {
        @Override
        public Object keyOf(RequestContext ctx) {
            Map<String, Object> claims = ctx.claims();
            String value = claims == null ? null : text(claims.get(name));
            return value != null ? value : new PeerIp(ctx.peerIp());
        }

        /**
         * A claim's value as a key: strings as they are, numbers and booleans as their JSON text (a numeric
         * {@code user_id} is a fine key). Arrays and objects identify no one client, and an empty string is
         * as good as absent: both fall back to the IP.
         */
        static String text(Object value) {
            if (value instanceof String s) {
                return s.isEmpty() ? null : s;
            }
            if (value instanceof Number || value instanceof Boolean) {
                return value.toString();
            }
            return null;
        }
    }

    /** Keyed by the first value when the header is repeated (the decoder keeps them in order). */
    record Header(AsciiString name) implements ClientKey {
        @Override
        public Object keyOf(RequestContext ctx) {
            String value = ctx.request().headers().get(name);
            return value != null && !value.isEmpty() ? value : new PeerIp(ctx.peerIp());
        }
    }

    record PeerAddress() implements ClientKey {
        @Override
        public Object keyOf(RequestContext ctx) {
            return ctx.peerIp();
        }
    }
}
