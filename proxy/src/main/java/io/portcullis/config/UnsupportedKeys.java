package io.portcullis.config;

import io.portcullis.config.policy.BackendHttpConfig;
import io.portcullis.config.policy.BackendPoliciesConfig;
import io.portcullis.config.policy.BackendTlsConfig;
import io.portcullis.config.policy.PoliciesConfig;
import java.util.List;
import java.util.Map;

/**
 * Keys of agentgateway's file format that Portcullis recognises but does not implement yet, per record.
 * They are refused with "`X` is not supported yet" rather than the generic unknown-key error, so that an
 * agentgateway config fails with a message that says what is missing instead of suggesting a typo, and
 * is never started with a setting silently ignored. Route policies keep their list on
 * {@link PoliciesConfig#NOT_SUPPORTED_YET}, next to the policies that are supported.
 */
final class UnsupportedKeys {
    private static final Map<Class<?>, List<String>> BY_RECORD = Map.ofEntries(
            Map.entry(GatewayConfig.class, List.of(
                    "policies", "backends", "workloads", "services", "llm", "mcp", "routeGroups")),
            // agentgateway's RawConfig fields beyond StaticConfig's.
            Map.entry(StaticConfig.class, List.of(
                    "enableIpv6", "localXdsPath", "caAddress", "caAuthToken", "xdsAddress", "xdsAuthToken",
                    "namespace", "gateway", "trustDomain", "serviceAccount", "clusterId", "network",
                    "session", "tracing", "dns", "hbone")),
            Map.entry(LoggingConfig.class, List.of("filter", "fields")),
            Map.entry(MetricsConfig.class, List.of("remove", "fields")),
            Map.entry(BackendDefaultsConfig.class, List.of("keepalives")),
            Map.entry(FrontendPoliciesConfig.class, List.of(
                    "tls", "tcp", "proxyProtocol", "proxy", "networkAuthorization", "connect", "accessLog",
                    "logging", "tracing")),
            Map.entry(FrontendHttpConfig.class, List.of(
                    "earlyResponseDrain", "http1HeaderCase", "http2WindowSize", "http2ConnectionWindowSize",
                    "http2FrameSize", "http2MaxHeaderSize", "http2KeepaliveInterval", "http2KeepaliveTimeout")),
            Map.entry(BindConfig.class, List.of("tunnelProtocol")),
            Map.entry(ListenerConfig.class, List.of("tcpRoutes", "policies", "namespace")),
            // The spellings agentgateway also accepts, and the SPIFFE / mode settings of its listener TLS.
            Map.entry(ListenerTlsConfig.class, List.of("mode", "spiffe", "minTlsVersion", "maxTlsVersion")),
            Map.entry(RouteConfig.class, List.of("namespace", "ruleName")),
            Map.entry(BackendConfig.class, List.of(
                    "service", "backend", "mcp", "ai", "aws", "dynamic", "routeGroup")),
            Map.entry(BackendPoliciesConfig.class, List.of(
                    "requestHeaderModifier", "transformations", "backendTLS", "backendAuth", "tcp", "backendTunnel",
                    "responseHeaderModifier", "requestRedirect", "health", "extAuthz", "authorization",
                    "mcpAuthorization", "mcpGuardrails", "a2a", "inferenceRouting", "sessionAffinity", "ai")),
            Map.entry(BackendHttpConfig.class, List.of("requestTimeout")),
            Map.entry(BackendTlsConfig.class, List.of("keyExchangeGroups", "spiffe")),
            Map.entry(PoliciesConfig.class, PoliciesConfig.NOT_SUPPORTED_YET));

    private UnsupportedKeys() {}

    /** The message for {@code key} in a {@code recordType} mapping, or null if the key is not on the list. */
    static String messageFor(Class<?> recordType, String key) {
        if (!BY_RECORD.getOrDefault(recordType, List.of()).contains(key)) {
            return null;
        }
        String kind = recordType == PoliciesConfig.class ? "policy " : "";
        return kind + "`" + key + "` is not supported yet";
    }
}
