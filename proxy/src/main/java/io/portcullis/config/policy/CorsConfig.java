package io.portcullis.config.policy;

import java.util.List;

/**
 * {@code cors}, agentgateway's fields: preflights from allowed origins are answered by the gateway; other
 * origins get no CORS headers. {@code maxAge} is seconds or a duration.
 */
public record CorsConfig(Boolean allowCredentials, List<String> allowHeaders, List<String> allowMethods,
                         List<String> allowOrigins, List<String> exposeHeaders, String maxAge) {}
