package io.portcullis.policy.jwt;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless DPoP server nonces (RFC 9449 section 8): a nonce is its issue time plus an HMAC of it under a
 * configured secret, so any replica with the same secret accepts any replica's nonce without shared state,
 * and a nonce expires by itself after {@code lifetimeSeconds}.
 */
final class NonceIssuer {
    private static final int MAC_BYTES = 16;

    private final SecretKeySpec key;
    private final long lifetimeSeconds;

    NonceIssuer(byte[] secret, long lifetimeSeconds) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.lifetimeSeconds = lifetimeSeconds;
    }

    String issue(long now) {
        ByteBuffer out = ByteBuffer.allocate(8 + MAC_BYTES);
        out.putLong(now).put(mac(now), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    boolean valid(String nonce, long now) {
        if (nonce == null || nonce.length() > 64) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != 8 + MAC_BYTES) {
            return false;
        }
        ByteBuffer in = ByteBuffer.wrap(raw);
        long issued = in.getLong();
        byte[] given = new byte[MAC_BYTES];
        in.get(given);
        byte[] expected = new byte[MAC_BYTES];
        System.arraycopy(mac(issued), 0, expected, 0, MAC_BYTES);
        return MessageDigest.isEqual(given, expected) && issued <= now + 5 && now - issued <= lifetimeSeconds;
    }

    private byte[] mac(long issued) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(ByteBuffer.allocate(8).putLong(issued).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
