package io.portcullis.policy.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One trusted issuer: its keys (a key set, or a shared HMAC secret — never both, so an HS256 token can never
 * be checked against an RSA public key), accepted audiences and required claims.
 */
final class JwtProvider {
    private final String issuer;
    private final Set<String> audiences;
    private final Set<String> requiredClaims;
    private final KeySource keys;
    private final JWSVerifier hmac;

    JwtProvider(String issuer, Set<String> audiences, Set<String> requiredClaims, KeySource keys, JWSVerifier hmac) {
        this.issuer = issuer;
        this.audiences = audiences;
        this.requiredClaims = requiredClaims;
        this.keys = keys;
        this.hmac = hmac;
    }

    String issuer() {
        return issuer;
    }

    /** Stops the key set's background refresh, if it has one. */
    void close() {
        if (keys != null) {
            keys.close();
        }
    }

    /** The verifier for a token's {@code alg} and {@code kid}, or a refusal; may ask to wait for a key fetch. */
    JWSVerifier verifierFor(JWSAlgorithm alg, String kid, boolean mayWait) throws AuthFailure.Refusal, TokenVerifier.AwaitKeys {
        if (TokenVerifier.isHmac(alg)) {
            if (hmac == null || !JWSAlgorithm.HS256.equals(alg)) {
                throw AuthFailure.ALG_NOT_ALLOWED.refusal();
            }
            return hmac;
        }
        if (keys == null) {
            throw AuthFailure.ALG_NOT_ALLOWED.refusal();
        }
        VerificationKey key = find(keys.current(), alg, kid);
        if (key == null) {
            CompletableFuture<Void> fetch = mayWait ? keys.refetch() : null;
            if (fetch != null) {
                throw new TokenVerifier.AwaitKeys(fetch);
            }
            throw AuthFailure.UNKNOWN_KEY.refusal();
        }
        if (!key.algorithms().contains(alg)) {
            throw AuthFailure.ALG_NOT_ALLOWED.refusal();
        }
        return key.verifier();
    }

    private static VerificationKey find(KeySet set, JWSAlgorithm alg, String kid) {
        if (kid != null) {
            return set.byKid(kid);
        }
        for (VerificationKey key : set.withoutKid()) {
            if (key.algorithms().contains(alg)) {
                return key;
            }
        }
        return null;
    }

    void checkAudience(List<String> tokenAudiences) throws AuthFailure.Refusal {
        if (audiences.isEmpty()) {
            return;
        }
        for (String aud : tokenAudiences) {
            if (audiences.contains(aud)) {
                return;
            }
        }
        throw AuthFailure.WRONG_AUDIENCE.refusal();
    }

    void checkRequiredClaims(JWTClaimsSet claims) throws AuthFailure.Refusal {
        for (String name : requiredClaims) {
            if (claims.getClaim(name) == null) {
                throw AuthFailure.MISSING_CLAIM.refusal();
            }
        }
    }
}
