package io.portcullis.config;

import io.portcullis.config.policy.DpopConfig;
import io.portcullis.config.policy.JwksConfig;
import io.portcullis.config.policy.JwtAuthConfig;
import io.portcullis.config.policy.JwtProviderConfig;
import io.portcullis.config.policy.JwtValidationOptionsConfig;
import io.portcullis.config.policy.TokenLocationConfig;
import io.portcullis.policy.jwt.JwksParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks {@code jwtAuth}: one of the two provider forms, each provider with an issuer and exactly one of
 * {@code jwks} / {@code secret}, key sets read and parsed now (with the same parser the gateway uses, so a
 * bad key fails the load, not the first request), shared secrets long enough and not a well-known default.
 * Messages never include a secret.
 */
final class JwtAuthValidator {
    static final int MIN_SECRET_BYTES = 32;
    /** Claims agentgateway's requiredClaims recognises. */
    private static final Set<String> REQUIRABLE = Set.of("exp", "nbf", "aud", "iss", "sub");
    /** Secrets copied from tutorials and dev setups; a gateway must not start with one. */
    private static final Set<String> KNOWN_DEFAULTS = Set.of(
            "secret", "changeme", "change-me", "changeit", "password", "your-256-bit-secret", "your-secret-key",
            "supersecret", "super-secret-key", "default", "jwt-secret", "jwtsecret", "mysecret", "secretkey",
            "my-secret-key", "your_jwt_secret", "your-jwt-secret", "aegis-dev-secret",
            "please-change-this-secret-in-production", "0123456789abcdef0123456789abcdef");

    private final Reporter report;

    JwtAuthValidator(Reporter report) {
        this.report = report;
    }

    void validate(JwtAuthConfig config) {
        boolean single = config.issuer() != null || config.jwks() != null || config.secret() != null
                || config.audiences() != null || config.jwtValidationOptions() != null;
        if (config.providers() != null) {
            if (single) {
                report.error(config, "use either `providers` or `issuer` with `jwks` / `secret`, not both");
            }
            if (report.nonEmpty(config, "providers", config.providers(), "at least one provider")) {
                Set<String> issuers = new HashSet<>();
                for (JwtProviderConfig p : config.providers()) {
                    if (p == null) {
                        continue;
                    }
                    provider(p, p.issuer(), p.jwks(), p.secret(), p.jwtValidationOptions());
                    if (p.issuer() != null && !issuers.add(p.issuer())) {
                        report.error(p, "issuer", "issuer " + Scalars.quote(p.issuer()) + " is listed twice");
                    }
                }
            }
        } else if (!single) {
            report.error(config, "missing `issuer` and `jwks` (or `secret`), or `providers`");
        } else {
            provider(config, config.issuer(), config.jwks(), config.secret(), config.jwtValidationOptions());
        }
        location(config.location());
        dpop(config.dpop());
    }

    /** {@code record} is where the fields live: the jwtAuth block itself, or one entry of providers. */
    private void provider(Object record, String issuer, JwksConfig jwks, String secret, JwtValidationOptionsConfig options) {
        report.required(record, "issuer", issuer, "the `iss` value tokens must carry");
        if (jwks == null && secret == null) {
            report.error(record, "missing `jwks` (or the extension `secret` for HS256)");
        } else if (jwks != null && secret != null) {
            report.error(record, "set `jwks` or `secret`, not both: a provider's tokens are either signed with keys or with a shared secret");
        }
        if (jwks != null) {
            jwks(jwks);
        }
        if (secret != null) {
            secret(record, secret);
        }
        if (options != null && options.requiredClaims() != null) {
            List<String> claims = options.requiredClaims();
            for (int i = 0; i < claims.size(); i++) {
                String claim = claims.get(i);
                if (claim != null && !REQUIRABLE.contains(claim)) {
                    report.errorAt(SourceMap.element(report.path(options, "requiredClaims"), i),
                            Scalars.quote(claim) + " (expected: exp, nbf, aud, iss or sub)");
                }
            }
        }
    }

    private void jwks(JwksConfig jwks) {
        report.exactlyOne(jwks, "file, url, inline", jwks.file(), jwks.url(), jwks.inline());
        String problem = null;
        if (jwks.url() != null) {
            problem = urlProblem(jwks.url());
        } else if (jwks.file() != null) {
            problem = JwksParser.fileProblem(Path.of(jwks.file()));
        } else if (jwks.inline() != null) {
            problem = JwksParser.problem(jwks.inline());
        }
        if (problem != null) {
            report.error(jwks, problem);
        }
    }

    private static String urlProblem(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return Scalars.quote(url) + " (expected: an http:// or https:// URL)";
            }
            return null;
        } catch (URISyntaxException e) {
            return Scalars.quote(url) + " is not a URL: " + e.getReason();
        }
    }

    private void secret(Object record, String secret) {
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_SECRET_BYTES) {
            report.error(record, "secret", "too short: " + bytes + " bytes (expected: at least " + MIN_SECRET_BYTES
                    + " random bytes, e.g. from `openssl rand -base64 48`)");
        } else if (KNOWN_DEFAULTS.contains(secret.toLowerCase(Locale.ROOT)) || secret.chars().distinct().count() < 8) {
            report.error(record, "secret", "is a well-known default or has almost no variety; generate a random one");
        }
    }

    private void location(TokenLocationConfig location) {
        if (location == null) {
            return;
        }
        report.exactlyOne(location, "header, queryParameter, cookie",
                location.header(), location.queryParameter(), location.cookie());
        if (location.header() != null) {
            name(location.header(), location.header().name());
        }
        if (location.queryParameter() != null) {
            name(location.queryParameter(), location.queryParameter().name());
        }
        if (location.cookie() != null) {
            name(location.cookie(), location.cookie().name());
        }
    }

    private void name(Object record, String name) {
        if (report.required(record, "name", name, "a name") && !Syntax.isToken(name)) {
            report.error(record, "name", Scalars.quote(name) + " is not a valid name");
        }
    }

    private void dpop(DpopConfig dpop) {
        if (dpop == null) {
            return;
        }
        report.range(dpop, "maxTokenAgeSeconds", dpop.maxTokenAgeSeconds(), 1, 86_400);
        report.range(dpop, "replayCacheSize", dpop.replayCacheSize(), 1, 10_000_000);
        if (dpop.nonce() != null) {
            DpopConfig.DpopNonceConfig nonce = dpop.nonce();
            if (report.required(nonce, "secret", nonce.secret(), "at least " + MIN_SECRET_BYTES + " random bytes")) {
                secret(nonce, nonce.secret());
            }
            report.positive(nonce, "lifetime", nonce.lifetime());
        }
    }
}
