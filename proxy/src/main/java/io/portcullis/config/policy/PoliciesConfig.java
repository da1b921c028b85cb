package io.portcullis.config.policy;

import io.portcullis.config.ByteSize;
import java.util.List;

/**
 * {@code routes[].policies}: the policies Portcullis implements so far. Other agentgateway policy names
 * are recognised and refused at load with "policy `X` is not supported yet" (see {@link #NOT_SUPPORTED_YET}),
 * so a config is never started with a policy silently ignored.
 */
public record PoliciesConfig(
        DirectResponseConfig directResponse,
        HeaderModifierConfig requestHeaderModifier,
        HeaderModifierConfig responseHeaderModifier,
        UrlRewriteConfig urlRewrite,
        RequestRedirectConfig requestRedirect,
        TimeoutConfig timeout,
        RetryConfig retry,
        ByteSize maxRequestBodySize,
        JwtAuthConfig jwtAuth,
        BackendAuthConfig backendAuth,
        AuthorizationConfig authorization,
        List<RateLimitConfig> localRateLimit,
        CorsConfig cors,
        BackendTlsConfig backendTLS) {

    /** agentgateway route policies that are recognised but not implemented yet. */
    public static final List<String> NOT_SUPPORTED_YET = List.of(
            "mcpAuthorization", "mcpAuthentication", "remoteRateLimit", "extAuthz", "extProc",
            "transformations", "csrf", "buffer", "requestMirror", "basicAuth", "apiKey", "oidc",
            "backendTunnel", "a2a", "ai", "mcpGuardrails", "delay");
}
