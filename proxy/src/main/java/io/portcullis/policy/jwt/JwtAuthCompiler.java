package io.portcullis.policy.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACVerifier;
import io.portcullis.config.policy.BackendAuthConfig;
import io.portcullis.config.policy.DpopConfig;
import io.portcullis.config.policy.JwksConfig;
import io.portcullis.config.policy.JwtAuthConfig;
import io.portcullis.config.policy.JwtMode;
import io.portcullis.config.policy.JwtProviderConfig;
import io.portcullis.config.policy.TokenLocationConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns a validated {@code jwtAuth} config into a {@link JwtAuthPolicy}. */
final class JwtAuthCompiler {
    static final Duration DEFAULT_SKEW = Duration.ofSeconds(5);
    static final int DEFAULT_MAX_AGE = 300;
    static final int DEFAULT_REPLAY_CACHE = 100_000;
    static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofMinutes(5);
    static final Set<String> DEFAULT_REQUIRED_CLAIMS = Set.of("exp");

    private JwtAuthCompiler() {}

    static JwtAuthPolicy compile(JwtAuthConfig config, BackendAuthConfig backendAuth) {
        CryptoProviders.install();
        DpopConfig d = config.dpop();
        Duration skew = d != null && d.clockSkew() != null ? d.clockSkew() : DEFAULT_SKEW;
        List<JwtProvider> providers = new ArrayList<>();
        for (JwtProviderConfig p : config.allProviders()) {
            providers.add(provider(p));
        }
        // With dpop and replay protection an unbound token is the seed's per-request token: used once.
        boolean unboundSingleUse = d != null && !Boolean.FALSE.equals(d.replayProtection());
        return new JwtAuthPolicy(
                config.mode() == null ? JwtMode.optional : config.mode(),
                location(config.location(), d != null),
                new TokenVerifier(providers, skew, unboundSingleUse),
                d == null ? null : dpop(d, skew),
                backendAuth != null && backendAuth.passthrough() != null);
    }

    private static JwtProvider provider(JwtProviderConfig p) {
        Set<String> audiences = p.audiences() == null ? Set.of() : Set.copyOf(p.audiences());
        Set<String> required = p.jwtValidationOptions() == null || p.jwtValidationOptions().requiredClaims() == null
                ? DEFAULT_REQUIRED_CLAIMS : Set.copyOf(p.jwtValidationOptions().requiredClaims());
        try {
            MACVerifier hmac = p.secret() == null ? null : new MACVerifier(p.secret().getBytes(StandardCharsets.UTF_8));
            return new JwtProvider(p.issuer(), audiences, required, p.jwks() == null ? null : keys(p.jwks()), hmac);
        } catch (JOSEException | JwksParser.InvalidJwksException e) {
            // The validator read the same file with the same parser; reaching here means it changed since.
            throw new IllegalStateException("jwtAuth: " + e.getMessage(), e);
        }
    }

    static KeySource keys(JwksConfig jwks) throws JwksParser.InvalidJwksException {
        if (jwks.url() != null) {
            return RemoteKeySource.start(URI.create(jwks.url()));
        }
        if (jwks.file() != null) {
            return FileKeySource.load(Path.of(jwks.file()));
        }
        return new StaticKeySource(JwksParser.parse(jwks.inline()));
    }

    private static TokenLocation location(TokenLocationConfig c, boolean dpop) {
        if (c == null) {
            return TokenLocation.header("authorization", "Bearer ", dpop);
        }
        if (c.header() != null) {
            return TokenLocation.header(c.header().name(), c.header().prefix(), dpop);
        }
        if (c.queryParameter() != null) {
            return TokenLocation.query(c.queryParameter().name());
        }
        return TokenLocation.cookie(c.cookie().name());
    }

    private static DpopChecker dpop(DpopConfig d, Duration skew) {
        int maxAge = d.maxTokenAgeSeconds() == null ? DEFAULT_MAX_AGE : d.maxTokenAgeSeconds();
        ReplayStore replay = Boolean.FALSE.equals(d.replayProtection()) ? null : new InMemoryReplayStore(
                d.replayCacheSize() == null ? DEFAULT_REPLAY_CACHE : d.replayCacheSize(), TokenVerifier::epochSeconds);
        NonceIssuer nonces = d.nonce() == null ? null : new NonceIssuer(
                d.nonce().secret().getBytes(StandardCharsets.UTF_8),
                (d.nonce().lifetime() == null ? DEFAULT_NONCE_LIFETIME : d.nonce().lifetime()).toSeconds());
        return new DpopChecker(!Boolean.FALSE.equals(d.enforceHtuHtm()), maxAge, skew.toSeconds(), replay,
                Boolean.TRUE.equals(d.requireProof()), nonces);
    }
}
