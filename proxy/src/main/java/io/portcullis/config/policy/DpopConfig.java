package io.portcullis.config.policy;

import java.time.Duration;

/**
 * {@code jwtAuth.dpop} (Portcullis extension): proof-of-possession checks. Covers both the seed scheme (the
 * bearer JWT itself carries {@code htm}, {@code htu}, {@code jti}, {@code iat}) and RFC 9449 ({@code DPoP}
 * proof header bound to the token by {@code cnf.jkt}).
 *
 * @param enforceHtuHtm       check {@code htm} / {@code htu} against the request (default true)
 * @param maxTokenAgeSeconds  how old {@code iat} may be (default 300)
 * @param clockSkew           tolerance for {@code iat} in the future and for {@code exp} / {@code nbf} (default 5s)
 * @param replayProtection    refuse a {@code jti} seen before, until the token expires (default true)
 * @param replayCacheSize     how many {@code jti} values are remembered (default 100000)
 * @param requireProof        refuse tokens that are not bound by {@code cnf.jkt} (default false)
 * @param nonce               server nonces for RFC 9449 proofs, stateless so replicas share only the secret
 */
public record DpopConfig(Boolean enforceHtuHtm, Integer maxTokenAgeSeconds, Duration clockSkew,
                         Boolean replayProtection, Integer replayCacheSize, Boolean requireProof,
                         DpopNonceConfig nonce) {

    /** {@code nonce}: the HMAC {@code secret} (at least 32 bytes) and how long a nonce stays valid (default 5m). */
    public record DpopNonceConfig(String secret, Duration lifetime) {}
}
