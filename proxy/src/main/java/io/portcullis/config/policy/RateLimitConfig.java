package io.portcullis.config.policy;

import java.time.Duration;

/**
 * One {@code localRateLimit} bucket, agentgateway's token bucket: it starts full with {@code maxTokens},
 * gains {@code tokensPerFill} every {@code fillInterval}; a request takes one token. Extensions: {@code key}
 * (one bucket per client instead of one per route) and {@code maxKeys} (how many client buckets live at once).
 */
public record RateLimitConfig(Long maxTokens, Long tokensPerFill, Duration fillInterval, String type,
                              RateLimitKeyConfig key, Integer maxKeys) {

    /**
     * The client a bucket belongs to: a JWT {@code claim} (e.g. {@code sub}), a request {@code header}, or the
     * client {@code ip}. A request without the claim or header is keyed by its client IP.
     */
    public record RateLimitKeyConfig(String claim, String header, Boolean ip) {}
}
