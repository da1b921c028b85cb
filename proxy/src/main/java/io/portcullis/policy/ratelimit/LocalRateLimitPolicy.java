package io.portcullis.policy.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.portcullis.config.policy.RateLimitConfig;
import io.portcullis.http.LocalReplies;
import io.portcullis.http.ProxyError;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import java.util.List;

/**
 * {@code localRateLimit}: token buckets checked on the event loop, agentgateway's semantics (see
 * {@link TokenBucket}). A route may list several buckets, e.g. a burst limit and a sustained one; a request
 * passes only if every one of them has a token, and then takes one from each.
 *
 * <pre>
 * localRateLimit:
 * - maxTokens: 10          # burst
 *   tokensPerFill: 1
 *   fillInterval: 600ms    # ~100 per minute
 *   key: {claim: user_id}  # one bucket per user; requests without the claim: per client IP
 * </pre>
 *
 * <p>A refused request gets 429 with {@code x-ratelimit-limit} (the refusing bucket's {@code maxTokens}),
 * {@code x-ratelimit-remaining: 0}, and {@code x-ratelimit-reset} and {@code Retry-After}, both the whole
 * seconds (at least 1) until that bucket's next fill.
 *
 * <p>Built once per route and shared by all event loops; the buckets are lock-free and a request that is let
 * through allocates nothing (except for a keyed limit falling back to the client IP, see {@link ClientKey}).
 */
public final class LocalRateLimitPolicy implements Policy {
    static final AsciiString X_RATELIMIT_LIMIT = AsciiString.cached("x-ratelimit-limit");
    static final AsciiString X_RATELIMIT_REMAINING = AsciiString.cached("x-ratelimit-remaining");
    static final AsciiString X_RATELIMIT_RESET = AsciiString.cached("x-ratelimit-reset");
    private static final AsciiString ZERO = AsciiString.cached("0");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /**
     * {@code maxKeys} when a keyed limit does not set it. Measured: about 150 bytes per live key (bucket plus
     * cache entry) on top of the key string, so up to ~20 MB per keyed limit at this default.
     */
    static final int DEFAULT_MAX_KEYS = 100_000;

    private final Buckets[] limits;

    private LocalRateLimitPolicy(Buckets[] limits) {
        this.limits = limits;
    }

    /** Compiles a validated {@code localRateLimit} list (at least one entry) against the system clock. */
    public static LocalRateLimitPolicy compile(List<RateLimitConfig> buckets) {
        return compile(buckets, Ticker.systemTicker());
    }

    /** As {@link #compile(List)}, with the nanosecond clock the buckets refill by (a fake one in tests). */
    static LocalRateLimitPolicy compile(List<RateLimitConfig> buckets, Ticker clock) {
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("no buckets");
        }
        Buckets[] limits = new Buckets[buckets.size()];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = compile(buckets.get(i), clock);
        }
        return new LocalRateLimitPolicy(limits);
    }

    private static Buckets compile(RateLimitConfig config, Ticker clock) {
        TokenBucket.Spec spec = new TokenBucket.Spec(config.maxTokens(), config.tokensPerFill(),
                config.fillInterval().toNanos(), clock);
        if (config.key() == null) {
            return new Buckets.Shared(new TokenBucket(spec));
        }
        int maxKeys = config.maxKeys() == null ? DEFAULT_MAX_KEYS : config.maxKeys();
        return new KeyedBuckets(ClientKey.of(config.key()), spec, maxKeys);
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        if (limits.length == 1) {
            TokenBucket bucket = limits[0].bucketFor(ctx);
            long wait = bucket.tryAcquire();
            return wait == 0 ? PolicyResult.CONTINUE : refuse(bucket, wait);
        }
        // Look at every bucket before taking from any, so that a request one bucket refuses does not drain
        // the others; when several are empty, the one that refills last answers, so Retry-After is honest.
        TokenBucket refusing = null;
        long longestWait = 0;
        for (Buckets limit : limits) {
            TokenBucket bucket = limit.bucketFor(ctx);
            long wait = bucket.waitNanos();
            if (wait > longestWait) {
                refusing = bucket;
                longestWait = wait;
            }
        }
        if (refusing != null) {
            return refuse(refusing, longestWait);
        }
        for (int i = 0; i < limits.length; i++) {
            TokenBucket bucket = limits[i].bucketFor(ctx);
            long wait = bucket.tryAcquire();
            if (wait != 0) {
                // Another event loop took the last token since the look above: return the ones taken.
                for (int j = 0; j < i; j++) {
                    limits[j].bucketFor(ctx).giveBack();
                }
                return refuse(bucket, wait);
            }
        }
        return PolicyResult.CONTINUE;
    }

    private static PolicyResult refuse(TokenBucket bucket, long waitNanos) {
        String seconds = Long.toString(Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND));
        FullHttpResponse reply = LocalReplies.error(ProxyError.RATE_LIMITED);
        HttpHeaders headers = reply.headers();
        headers.set(X_RATELIMIT_LIMIT, Long.toString(bucket.spec().maxTokens()));
        headers.set(X_RATELIMIT_REMAINING, ZERO);
        headers.set(X_RATELIMIT_RESET, seconds);
        headers.set(HttpHeaderNames.RETRY_AFTER, seconds);
        return PolicyResult.respond(reply, ProxyError.RATE_LIMITED.reason());
    }
}
