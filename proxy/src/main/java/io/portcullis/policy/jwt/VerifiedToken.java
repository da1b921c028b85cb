package io.portcullis.policy.jwt;

import java.util.List;
import java.util.Map;

/**
 * A token whose signature, issuer and audience checked out, as cached: its claims (JSON types: String, Long,
 * Double, Boolean, List, Map; read-only), and the time claims in epoch seconds ({@link Long#MIN_VALUE} when
 * absent). Time checks are repeated on every use; the signature is not.
 */
record VerifiedToken(Map<String, Object> claims, long exp, long nbf, long iat, String jti, String jkt) {

    static final long ABSENT = Long.MIN_VALUE;

    /**
     * Roughly what the cached claims keep alive: per claim a map entry, its name and a boxed or short value
     * (~120 bytes); nested lists and maps are counted per member. An estimate for the cache's weight only.
     */
    int estimatedBytes() {
        return 200 + weight(claims);
    }

    private static int weight(Object value) {
        if (value instanceof Map<?, ?> map) {
            int sum = 64;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sum += 64 + String.valueOf(e.getKey()).length() + weight(e.getValue());
            }
            return sum;
        }
        if (value instanceof List<?> list) {
            int sum = 48;
            for (Object member : list) {
                sum += 8 + weight(member);
            }
            return sum;
        }
        return value instanceof String s ? 48 + s.length() : 24;
    }

    boolean bound() {
        return jkt != null;
    }
}
