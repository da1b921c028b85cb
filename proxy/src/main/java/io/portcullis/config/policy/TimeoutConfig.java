package io.portcullis.config.policy;

import java.time.Duration;

/** {@code timeout}: {@code requestTimeout} (whole exchange) and {@code backendRequestTimeout} (one upstream attempt). */
public record TimeoutConfig(Duration requestTimeout, Duration backendRequestTimeout) {}
