package io.portcullis.policy.ratelimit;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.policy.RequestContext;
import java.time.Duration;
import java.util.function.Function;

/**
 * One bucket per client ({@code key}), created full on the client's first request. At most {@code maxKeys}
 * buckets live at once: Caffeine evicts by its frequency-aware policy, so a flood of one-off keys (say,
 * random header values) tends not to displace the buckets of clients that keep coming back. A bucket that
 * has not been used for as long as an emptied bucket takes to fill up again ({@link
 * TokenBucket.Spec#refillAllNanos()}) expires: it would be full, exactly like the one that replaces it on
 * the client's next request, so dropping it changes nothing but the memory it held.
 *
 * <p>The cache is thread-safe and its reads are lock-free; a hit allocates nothing. Caffeine's maintenance
 * (replaying recorded reads, evicting, expiring) runs on the calling event loop: it is batched and amortised,
 * and guarded by a {@code tryLock}, so a loop that finds another one doing it moves on instead of waiting.
 * (Only if new keys arrive faster than maintenance drains them does Caffeine make the writer wait for the
 * lock and help: bounded back-pressure under a flood of new clients.) With the default executor a task went
 * to the common pool every couple of hundred hits, which allocated, woke another thread and made hits about
 * twice as slow ({@code TokenBucketBenchmark}).
 */
final class KeyedBuckets implements Buckets {
    private final ClientKey key;
    private final Cache<Object, TokenBucket> buckets;
    /** Built once: a lambda written at the call site would be a new object per miss, and per call on some JVMs. */
    private final Function<Object, TokenBucket> newBucket;

    KeyedBuckets(ClientKey key, TokenBucket.Spec spec, long maxKeys) {
        this.key = requireNonNull(key, "key");
        requireNonNull(spec, "spec");
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofNanos(spec.refillAllNanos()))
                .ticker(spec.clock())
                .executor(Runnable::run)
                .build();
        this.newBucket = ignored -> new TokenBucket(spec);
    }

    @Override
    public TokenBucket bucketFor(RequestContext ctx) {
        return buckets.get(key.keyOf(ctx), newBucket);
    }

    /** The live buckets (after pending maintenance), for tests. */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
