package io.portcullis.config.policy;

import java.util.List;

/**
 * {@code jwtAuth}: agentgateway's single-issuer form ({@code issuer}, {@code audiences}, {@code jwks}) or its
 * {@code providers} list, with {@code mode} and token {@code location}; plus the extensions {@code secret}
 * (HS256) and {@code dpop}.
 */
public record JwtAuthConfig(JwtMode mode, TokenLocationConfig location, String issuer, List<String> audiences,
                            JwksConfig jwks, String secret, JwtValidationOptionsConfig jwtValidationOptions,
                            List<JwtProviderConfig> providers, DpopConfig dpop) {

    /** The providers, whichever form the file used; empty if neither was given. */
    public List<JwtProviderConfig> allProviders() {
        if (providers != null) {
            return providers;
        }
        if (issuer == null && jwks == null && secret == null) {
            return List.of();
        }
        return List.of(new JwtProviderConfig(issuer, audiences, jwks, secret, jwtValidationOptions));
    }
}
