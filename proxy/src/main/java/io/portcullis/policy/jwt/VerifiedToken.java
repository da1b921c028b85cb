package io.portcullis.policy.jwt;

import java.util.Map;

/**
 * A token whose signature, issuer and audience checked out, as cached: its claims (JSON types: String, Long,
 * Double, Boolean, List, Map; read-only), and the time claims in epoch seconds ({@link Long#MIN_VALUE} when
 * absent). Time checks are repeated on every use; the signature is not.
 */
record VerifiedToken(Map<String, Object> claims, long exp, long nbf, long iat, String jti, String jkt) {

    static final long ABSENT = Long.MIN_VALUE;

    boolean bound() {
        return jkt != null;
    }
}
