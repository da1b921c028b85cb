package io.portcullis.config;

import io.portcullis.config.policy.RateLimitConfig;
import io.portcullis.config.policy.RateLimitConfig.RateLimitKeyConfig;
import io.portcullis.http.HeaderNames;
import java.time.Duration;
import java.util.List;

/**
 * Checks {@code localRateLimit}: agentgateway's rules for a bucket (it refuses {@code tokensPerFill} above
 * {@code maxTokens}: "max tokens cannot be less than the refill amount") plus Portcullis' {@code key} and
 * {@code maxKeys}. Counting LLM tokens ({@code type: tokens}) is refused rather than silently counting requests.
 */
final class RateLimitValidator {
    private static final String COUNT = "an integer >= 1";

    private final Reporter report;

    RateLimitValidator(Reporter report) {
        this.report = report;
    }

    void validate(List<RateLimitConfig> config) {
        for (RateLimitConfig bucket : config) {
            if (bucket != null) { // null: an entry binding already reported
                bucket(bucket);
            }
        }
    }

    private void bucket(RateLimitConfig bucket) {
        boolean maxOk = count(bucket, "maxTokens", bucket.maxTokens());
        boolean fillOk = count(bucket, "tokensPerFill", bucket.tokensPerFill());
        Duration interval = bucket.fillInterval();
        boolean intervalOk = report.required(bucket, "fillInterval", interval, "a duration such as 1s")
                && !interval.isZero() && !interval.isNegative();
        report.positive(bucket, "fillInterval", interval);
        if (maxOk && fillOk && bucket.tokensPerFill() > bucket.maxTokens()) {
            // agentgateway refuses this too; the cap would throw the excess of every fill away.
            report.error(bucket, "tokensPerFill", bucket.tokensPerFill() + " is more than maxTokens "
                    + bucket.maxTokens() + " (expected: <= maxTokens; the bucket cannot hold more than maxTokens)");
        } else if (fillOk && intervalOk && bucket.tokensPerFill() > interval.toNanos()) {
            // The bucket's arithmetic is exact only up to this rate (see TokenBucket); no proxy comes near it.
            report.error(bucket, "tokensPerFill", bucket.tokensPerFill() + " every " + GoDuration.format(interval)
                    + " is more than one token per nanosecond (expected: a rate of at most 1000000000 per second)");
        }
        type(bucket);
        key(bucket);
    }

    private boolean count(RateLimitConfig bucket, String field, Long value) {
        if (!report.required(bucket, field, value, COUNT)) {
            return false;
        }
        if (value < 1) {
            report.error(bucket, field, value + " (expected: >= 1)");
            return false;
        }
        return true;
    }

    private void type(RateLimitConfig bucket) {
        String type = bucket.type();
        if (type == null || type.equals("requests")) {
            return;
        }
        report.error(bucket, "type", type.equals("tokens")
                ? "`tokens` (LLM token counting) is not supported yet (expected: requests)"
                : Scalars.quote(type) + " (expected: requests)");
    }

    private void key(RateLimitConfig bucket) {
        RateLimitKeyConfig key = bucket.key();
        Integer maxKeys = bucket.maxKeys();
        if (key == null) {
            if (maxKeys != null) {
                report.error(bucket, "maxKeys", "only applies with key (one bucket per client); "
                        + "without key the route has one bucket");
            }
            return;
        }
        report.atLeast(bucket, "maxKeys", maxKeys, 1);
        report.exactlyOne(key, "claim, header, ip", key.claim(), key.header(), key.ip());
        if (key.claim() != null && key.claim().isEmpty()) {
            report.error(key, "claim", "\"\" (expected: a claim name such as sub)");
        }
        String header = key.header();
        if (header != null) {
            if (!Syntax.isToken(header)) {
                report.error(key, "header", Scalars.quote(header) + " is not a valid header name");
            } else if (HeaderNames.HOP_BY_HOP.stream().anyMatch(h -> h.contentEqualsIgnoreCase(header))) {
                report.error(key, "header", "`" + header + "` is a hop-by-hop header, removed before policies run, "
                        + "so every request would be keyed by client IP");
            }
        }
        if (Boolean.FALSE.equals(key.ip())) {
            report.error(key, "ip", "false (expected: true; without key the route has one bucket)");
        }
    }
}
