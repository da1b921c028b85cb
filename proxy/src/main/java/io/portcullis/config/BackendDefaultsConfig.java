package io.portcullis.config;

import java.time.Duration;

/** {@code config.backend}: connection defaults for every backend (agentgateway's BackendConfig). */
public record BackendDefaultsConfig(Duration connectTimeout, Duration poolIdleTimeout, Integer poolMaxSize) {}
