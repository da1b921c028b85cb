package io.portcullis.config.policy;

import java.time.Duration;
import java.util.List;

/** {@code retry}: total {@code attempts} (default 1), {@code backoff} between attempts, retryable status {@code codes}. */
public record RetryConfig(Integer attempts, Duration backoff, List<Integer> codes) {}
