package io.portcullis.config;

import java.time.Duration;

/**
 * Top-level {@code config:} block (agentgateway's RawConfig, restricted to what Portcullis implements).
 * Absent fields are {@code null}; defaults are applied when the config is compiled.
 */
public record StaticConfig(
        String statsAddr,
        String adminAddr,
        String readinessAddr,
        Integer workerThreads,
        Duration connectionTerminationDeadline,
        Duration connectionMinTerminationDeadline,
        LoggingConfig logging,
        MetricsConfig metrics,
        BackendDefaultsConfig backend) {}
