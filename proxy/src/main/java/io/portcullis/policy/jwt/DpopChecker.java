package io.portcullis.policy.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.portcullis.policy.RequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Proof-of-possession checks after a token's signature verified, in both forms Portcullis accepts:
 * <ul>
 *   <li>RFC 9449: a token bound by {@code cnf.jkt}, sent as {@code Authorization: DPoP}, with a {@code DPoP}
 *       proof JWT signed by the bound key for this method and URI ({@code htm}, {@code htu}), fresh
 *       ({@code iat}), used once ({@code jti}), for this token ({@code ath}), optionally with a server nonce;</li>
 *   <li>the seed 002 scheme: the bearer token itself carries {@code htm}, {@code htu}, {@code iat} and
 *       {@code jti}; it is checked against the request, for freshness, and used once.</li>
 * </ul>
 * Without a {@code dpop} block only {@link #checkBinding} runs: a token that names a method or URI is
 * still held to it, so a token minted for {@code POST /mcp} never opens {@code GET /secrets}.
 */
final class DpopChecker {
    /** The two ways a token arrives in {@code Authorization}. */
    enum Scheme { BEARER, DPOP, OTHER }

    private final boolean enforceHtuHtm;
    private final long maxAgeSeconds;
    private final long skewSeconds;
    private final ReplayStore replay;
    /** Proof-key verifiers by thumbprint and algorithm; maintenance runs on the caller, never on another pool. */
    private final Cache<String, JWSVerifier> proofVerifiers =
            Caffeine.newBuilder().maximumSize(4_096).executor(Runnable::run).build();
    private final boolean requireProof;
    private final NonceIssuer nonces;

    DpopChecker(boolean enforceHtuHtm, long maxAgeSeconds, long skewSeconds, ReplayStore replay,
                boolean requireProof, NonceIssuer nonces) {
        this.enforceHtuHtm = enforceHtuHtm;
        this.maxAgeSeconds = maxAgeSeconds;
        this.skewSeconds = skewSeconds;
        this.replay = replay;
        this.requireProof = requireProof;
        this.nonces = nonces;
    }

    NonceIssuer nonces() {
        return nonces;
    }

    /**
     * The checks with {@code dpop} configured. {@code proofs} are the request's DPoP header values.
     */
    void check(VerifiedToken token, String tokenText, Scheme scheme, List<String> proofs, String method,
               String externalUri, long now) throws AuthFailure.Refusal {
        if (token.bound()) {
            if (scheme != Scheme.DPOP) {
                throw AuthFailure.BOUND_TOKEN_AS_BEARER.refusal();
            }
            checkProof(token, tokenText, proofs, method, externalUri, now);
            return;
        }
        if (scheme == Scheme.DPOP || requireProof) {
            throw AuthFailure.PROOF_REQUIRED.refusal(); // an unbound token cannot use the DPoP scheme
        }
        // Seed scheme: the token is its own proof.
        if (enforceHtuHtm) {
            requireBinding(token.claims(), method, externalUri);
        }
        checkFreshness(token.iat(), now, AuthFailure.TOKEN_TOO_OLD, AuthFailure.ISSUED_IN_FUTURE);
        if (replay != null) {
            consume(token.jti(), token.exp() == VerifiedToken.ABSENT ? token.iat() + maxAgeSeconds : token.exp(),
                    AuthFailure.REPLAYED, AuthFailure.MISSING_CLAIM);
        }
    }

    /** The secure default without {@code dpop}: {@code htm} / {@code htu}, when present, must fit the request. */
    static void checkBinding(Map<String, Object> claims, String method, RequestContext rc) throws AuthFailure.Refusal {
        Object htm = claims.get("htm");
        if (htm != null && !method.equals(htm)) {
            throw AuthFailure.WRONG_METHOD.refusal();
        }
        Object htu = claims.get("htu");
        // The external URI is built only for tokens that name one.
        if (htu != null && !uriMatches(htu, ExternalUri.of(rc))) {
            throw AuthFailure.WRONG_URI.refusal();
        }
    }

    /** The seed scheme with {@code dpop}: both claims must be there, and fit the request. */
    private static void requireBinding(Map<String, Object> claims, String method, String externalUri) throws AuthFailure.Refusal {
        Object htm = claims.get("htm");
        Object htu = claims.get("htu");
        if (!(htm instanceof String) || !(htu instanceof String)) {
            throw AuthFailure.MISSING_CLAIM.refusal();
        }
        if (!method.equals(htm)) {
            throw AuthFailure.WRONG_METHOD.refusal();
        }
        if (!uriMatches(htu, externalUri)) {
            throw AuthFailure.WRONG_URI.refusal();
        }
    }

    /** Whether a {@code htu} claim names the request's external URI, both normalised (RFC 9449 section 4.3). */
    private static boolean uriMatches(Object htu, String externalUri) {
        return htu instanceof String s && externalUri != null && externalUri.equals(ExternalUri.normaliseClaim(s));
    }

    private void checkFreshness(long iat, long now, AuthFailure tooOld, AuthFailure inFuture) throws AuthFailure.Refusal {
        if (iat == VerifiedToken.ABSENT) {
            throw AuthFailure.MISSING_CLAIM.refusal();
        }
        if (iat > now + skewSeconds) {
            throw inFuture.refusal();
        }
        if (now - iat > maxAgeSeconds + skewSeconds) {
            throw tooOld.refusal();
        }
    }

    private void consume(String jti, long until, AuthFailure replayed, AuthFailure missing) throws AuthFailure.Refusal {
        if (jti == null || jti.isEmpty() || jti.length() > 256) {
            throw missing.refusal();
        }
        switch (replay.firstUse(jti, until + skewSeconds)) {
            case FIRST_USE:
                return;
            case FULL:
                throw AuthFailure.REPLAY_CACHE_FULL.refusal();
            default:
                throw replayed.refusal();
        }
    }

    private void checkProof(VerifiedToken token, String tokenText, List<String> proofs, String method,
                            String externalUri, long now) throws AuthFailure.Refusal {
        if (proofs.isEmpty()) {
            throw AuthFailure.PROOF_MISSING.refusal();
        }
        if (proofs.size() > 1 || proofs.get(0).length() > TokenVerifier.MAX_TOKEN_LENGTH) {
            throw AuthFailure.PROOF_INVALID.refusal();
        }
        SignedJWT proof;
        JWTClaimsSet claims;
        try {
            proof = SignedJWT.parse(proofs.get(0));
            claims = proof.getJWTClaimsSet();
        } catch (ParseException e) {
            throw AuthFailure.PROOF_INVALID.refusal();
        }
        JWSHeader header = proof.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (header.getType() == null || !"dpop+jwt".equals(header.getType().getType())
                || header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw AuthFailure.PROOF_INVALID.refusal();
        }
        JWK jwk = header.getJWK();
        if (jwk == null || jwk.isPrivate()) {
            throw AuthFailure.PROOF_INVALID.refusal(); // a private key in a header is a leaked key
        }
        try {
            // The key first: a proof by any other key than the one the token is bound to is refused before
            // its signature costs anything, and only bound keys ever reach the verifier cache.
            String jkt = jwk.computeThumbprint().toString();
            if (!jkt.equals(token.jkt())) {
                throw AuthFailure.PROOF_WRONG_KEY.refusal();
            }
            if (!proof.verify(proofVerifier(jwk, jkt, alg))) {
                throw AuthFailure.PROOF_INVALID.refusal();
            }
        } catch (JOSEException | IllegalStateException e) {
            throw AuthFailure.PROOF_INVALID.refusal();
        }
        Object htm = claims.getClaim("htm");
        if (!method.equals(htm)) {
            throw AuthFailure.PROOF_WRONG_METHOD.refusal();
        }
        if (!uriMatches(claims.getClaim("htu"), externalUri)) {
            throw AuthFailure.PROOF_WRONG_URI.refusal();
        }
        if (!ath(tokenText).equals(claims.getClaim("ath"))) {
            throw AuthFailure.PROOF_WRONG_ATH.refusal();
        }
        Date iat = claims.getIssueTime();
        String jti = claims.getJWTID();
        if (iat == null || jti == null) {
            throw AuthFailure.PROOF_INVALID.refusal();
        }
        checkFreshness(iat.getTime() / 1000, now, AuthFailure.PROOF_STALE, AuthFailure.PROOF_STALE);
        if (nonces != null && !(claims.getClaim("nonce") instanceof String n && nonces.valid(n, now))) {
            throw AuthFailure.NONCE_REQUIRED.refusal();
        }
        if (replay != null) {
            // Scoped by key so one client's jti cannot block another's.
            consume(token.jkt() + ":" + jti, iat.getTime() / 1000 + maxAgeSeconds,
                    AuthFailure.PROOF_REPLAYED, AuthFailure.PROOF_INVALID);
        }
    }

    /**
     * The verifier of a client's proof key, made once per key and algorithm: a client signs every proof with
     * the same key, and building a verifier (key conversion, curve checks, the native key) costs more than
     * hashing the key. Keyed by the RFC 7638 thumbprint (a SHA-256 of the key's members), so a cached verifier
     * holds exactly the key the proof names.
     */
    private JWSVerifier proofVerifier(JWK jwk, String jkt, JWSAlgorithm alg) throws JOSEException, AuthFailure.Refusal {
        String cacheKey = jkt + ' ' + alg.getName();
        JWSVerifier cached = proofVerifiers.getIfPresent(cacheKey);
        if (cached == null) {
            cached = verifier(jwk, alg);
            proofVerifiers.put(cacheKey, cached);
        }
        return cached;
    }

    /** Proofs are asymmetric by definition: an HMAC proof proves nothing about a key pair. */
    private static JWSVerifier verifier(JWK jwk, JWSAlgorithm alg) throws JOSEException, AuthFailure.Refusal {
        if (jwk instanceof RSAKey rsa && JwksParser.RSA_ALGORITHMS.contains(alg) && rsa.size() >= JwksParser.MIN_RSA_BITS) {
            return new RSASSAVerifier(CryptoProviders.nativeKey(rsa.toRSAPublicKey()));
        }
        if (jwk instanceof ECKey ec && alg.equals(JwksParser.ecAlgorithm(ec.getCurve()))) {
            return new ECDSAVerifier(CryptoProviders.nativeKey(ec.toECPublicKey()));
        }
        if (jwk instanceof OctetKeyPair okp && JwksParser.OKP_ALGORITHMS.contains(alg)) {
            return new EdDsaVerifier(okp);
        }
        throw AuthFailure.PROOF_INVALID.refusal();
    }

    static String ath(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(digest).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
