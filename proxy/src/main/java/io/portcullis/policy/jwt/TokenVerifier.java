package io.portcullis.policy.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Verifies bearer tokens for one {@code jwtAuth} policy: parse, header checks, provider by {@code iss}, key
 * by {@code kid} within that provider (so two issuers may share a kid), signature, audience, required
 * claims, then time checks. Verified tokens are cached until they expire, so a repeated token costs a
 * lookup and the time checks, not a signature. The cache is bounded by an estimate of the bytes it holds,
 * not by a count, because it lives in a small heap (the gateway runs in 128 MiB) and tokens vary tenfold in
 * size. Tokens that can only be used once (seed 002 per-request tokens, whose {@code jti} the DPoP check
 * consumes) are not cached at all: a second use is refused anyway, so caching them only costs memory.
 * Thread-safe; shared by all event loops.
 */
final class TokenVerifier {
    /** Longer than any sane access token; a header this big is an attack or a mistake. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** Estimated bytes of cached tokens: ~2,000 typical 1 KiB tokens with their claims. */
    static final long CACHE_BYTES = 4L * 1024 * 1024;
    static final Duration CACHE_WITHOUT_EXP = Duration.ofMinutes(5);
    /** kid as a plain identifier: no path separators, quotes, spaces or SQL punctuation. */
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._~:+=-]{1,128}");

    private final Map<String, JwtProvider> byIssuer;
    private final long skewSeconds;
    private final Cache<TokenKey, VerifiedToken> cache;
    private final boolean unboundSingleUse;

    /** The token's key is being fetched; verify again when {@link #ready} completes. */
    static final class AwaitKeys extends Exception {
        final CompletableFuture<Void> ready;

        AwaitKeys(CompletableFuture<Void> ready) {
            super("awaiting keys", null, false, false);
            this.ready = ready;
        }
    }

    /** {@code unboundSingleUse}: tokens without {@code cnf.jkt} are used once (their jti is consumed): never cache them. */
    TokenVerifier(List<JwtProvider> providers, Duration clockSkew, boolean unboundSingleUse) {
        this(providers, clockSkew, CACHE_BYTES, unboundSingleUse);
    }

    /** {@code cacheBytes} 0 verifies every token afresh (benchmarks of the signature path). */
    TokenVerifier(List<JwtProvider> providers, Duration clockSkew, long cacheBytes, boolean unboundSingleUse) {
        this.unboundSingleUse = unboundSingleUse;
        this.byIssuer = Map.copyOf(providers.stream().collect(
                java.util.stream.Collectors.toMap(JwtProvider::issuer, p -> p)));
        this.skewSeconds = clockSkew.toSeconds();
        this.cache = cacheBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                // Eviction work on the calling event loop (amortised, a few entries at a time) rather than
                // handed to the common ForkJoinPool: that hand-off woke a second thread for every new token.
                .executor(Runnable::run)
                .weigher((TokenKey key, VerifiedToken token) -> key.estimatedBytes() + token.estimatedBytes())
                .expireAfter(Expiry.<TokenKey, VerifiedToken>writing((token, verified) -> verified.exp() == VerifiedToken.ABSENT
                        ? CACHE_WITHOUT_EXP
                        : Duration.ofSeconds(Math.max(1, verified.exp() + skewSeconds - epochSeconds()))))
                .build();
    }

    /** Stops every provider's background key refresh. */
    void close() {
        for (JwtProvider provider : byIssuer.values()) {
            provider.close();
        }
    }

    long skewSeconds() {
        return skewSeconds;
    }

    VerifiedToken verify(String token, long now) throws AuthFailure.Refusal, AwaitKeys {
        return verify(new TokenLocation.Found(token, 0, DpopChecker.Scheme.OTHER), now, true);
    }

    /** {@code mayWait}: whether an unknown kid may suspend the request for a key fetch (once per request). */
    VerifiedToken verify(TokenLocation.Found found, long now, boolean mayWait) throws AuthFailure.Refusal, AwaitKeys {
        if (found.raw.length() - found.start > MAX_TOKEN_LENGTH) {
            throw AuthFailure.TOO_LARGE.refusal();
        }
        // Keyed by the raw value (e.g. "Bearer eyJ..."): equal raw values hold equal tokens.
        TokenKey key = cache == null ? null : new TokenKey(found.raw);
        VerifiedToken cached = key == null ? null : cache.getIfPresent(key);
        if (cached != null) {
            checkTimes(cached, now);
            return cached;
        }
        String token = found.token();
        SignedJWT jwt = parse(token);
        JWSHeader header = jwt.getHeader();
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw AuthFailure.CRIT_UNSUPPORTED.refusal(); // no extension is understood, so none may be critical
        }
        if (header.getType() != null && "dpop+jwt".equalsIgnoreCase(header.getType().getType())) {
            throw AuthFailure.MALFORMED.refusal(); // a DPoP proof is not an access token
        }
        String kid = header.getKeyID();
        if (kid != null && !KID.matcher(kid).matches()) {
            throw AuthFailure.BAD_KID.refusal();
        }
        // The payload is parsed once: the raw JSON object for CEL and the rate limiter, the typed view from it.
        Map<String, Object> payload;
        JWTClaimsSet claims;
        try {
            payload = jwt.getPayload().toJSONObject();
            if (payload == null) {
                throw AuthFailure.MALFORMED.refusal();
            }
            claims = JWTClaimsSet.parse(payload);
        } catch (ParseException e) {
            throw AuthFailure.MALFORMED.refusal();
        }
        JwtProvider provider = claims.getIssuer() == null ? null : byIssuer.get(claims.getIssuer());
        if (provider == null) {
            throw AuthFailure.UNKNOWN_ISSUER.refusal();
        }
        JWSVerifier verifier = provider.verifierFor(header.getAlgorithm(), kid, mayWait);
        try {
            if (!jwt.verify(verifier)) {
                throw AuthFailure.BAD_SIGNATURE.refusal();
            }
        } catch (JOSEException | IllegalStateException e) {
            throw AuthFailure.BAD_SIGNATURE.refusal();
        }
        provider.checkAudience(claims.getAudience());
        provider.checkRequiredClaims(claims);
        VerifiedToken verified = toVerified(payload, claims);
        checkTimes(verified, now);
        if (cache != null && !(unboundSingleUse && !verified.bound())) {
            cache.put(key, verified);
        }
        return verified;
    }

    private static SignedJWT parse(String token) throws AuthFailure.Refusal {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw AuthFailure.MALFORMED.refusal();
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw AuthFailure.ALG_NOT_ALLOWED.refusal(); // alg "none" (plain) or an encrypted token
        }
        return signed;
    }

    void checkTimes(VerifiedToken token, long now) throws AuthFailure.Refusal {
        if (token.exp() != VerifiedToken.ABSENT && now > token.exp() + skewSeconds) {
            throw AuthFailure.EXPIRED.refusal();
        }
        if (token.nbf() != VerifiedToken.ABSENT && now + skewSeconds < token.nbf()) {
            throw AuthFailure.NOT_YET_VALID.refusal();
        }
    }

    private static VerifiedToken toVerified(Map<String, Object> payload, JWTClaimsSet claims) {
        // The raw JSON object, not nimbus's typed view: CEL and the rate limiter see the claims as sent.
        Map<String, Object> raw = Collections.unmodifiableMap(payload);
        Object cnf = raw.get("cnf");
        String jkt = cnf instanceof Map<?, ?> m && m.get("jkt") instanceof String s ? s : null;
        return new VerifiedToken(raw, seconds(claims.getExpirationTime()), seconds(claims.getNotBeforeTime()),
                seconds(claims.getIssueTime()), claims.getJWTID(), jkt);
    }

    private static long seconds(Date date) {
        return date == null ? VerifiedToken.ABSENT : date.getTime() / 1000;
    }

    static long epochSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** Whether {@code alg} names an HMAC algorithm. */
    static boolean isHmac(JWSAlgorithm alg) {
        return JWSAlgorithm.Family.HMAC_SHA.contains(alg);
    }
}
