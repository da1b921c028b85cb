package io.portcullis.config.policy;

import java.util.List;

/**
 * One trusted issuer: its {@code issuer} ({@code iss} must match), accepted {@code audiences}, and its keys:
 * a {@code jwks}, or the extension {@code secret} (HS256 with a shared secret, opt-in, at least 32 bytes).
 */
public record JwtProviderConfig(String issuer, List<String> audiences, JwksConfig jwks, String secret,
                                JwtValidationOptionsConfig jwtValidationOptions) {}
