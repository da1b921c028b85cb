package io.portcullis.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.config.policy.RateLimitConfig;
import io.portcullis.config.policy.RateLimitConfig.RateLimitKeyConfig;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import io.portcullis.policy.ratelimit.LocalRateLimitPolicy;
import io.portcullis.policy.ratelimit.TokenBucket;
import io.portcullis.routing.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of {@code localRateLimit} on the admit path: one bucket's {@code tryAcquire} alone, the
 * policy with one route-wide bucket, the policy keyed by a header and by client IP (a hit on an existing
 * client bucket), and two buckets (look at both, then take from both). Run with {@code -prof gc}: all of these
 * should allocate nothing. {@code refused} is the 429 path for comparison, which builds a reply.
 *
 * <p>The policy is called with a prepared {@link RequestContext} rather than through an {@code EmbeddedChannel}:
 * it reads only the context, and the decoder and routing around it have their own benchmarks. The buckets
 * refill one token per nanosecond (the fastest rate the validator allows) so the admit paths never run dry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TokenBucketBenchmark {
    private static final long PLENTY = 1_000_000_000_000L;

    TokenBucket bucket;
    LocalRateLimitPolicy routeWide;
    LocalRateLimitPolicy byHeader;
    LocalRateLimitPolicy byIp;
    LocalRateLimitPolicy twoBuckets;
    LocalRateLimitPolicy exhausted;
    RequestContext ctx;

    @Setup
    public void setup() {
        bucket = new TokenBucket(new TokenBucket.Spec(PLENTY, 1, 1, Ticker.systemTicker()));
        RateLimitConfig plenty = limit(PLENTY, null);
        routeWide = LocalRateLimitPolicy.compile(List.of(plenty));
        byHeader = LocalRateLimitPolicy.compile(List.of(limit(PLENTY, new RateLimitKeyConfig(null, "x-user", null))));
        byIp = LocalRateLimitPolicy.compile(List.of(limit(PLENTY, new RateLimitKeyConfig(null, null, true))));
        twoBuckets = LocalRateLimitPolicy.compile(List.of(plenty, limit(PLENTY, null)));
        exhausted = LocalRateLimitPolicy.compile(List.of(new RateLimitConfig(1L, 1L, Duration.ofHours(1), null, null, null)));

        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/items");
        request.headers().set("host", "api.example.com");
        request.headers().set("x-user", "alice@example.com");
        request.headers().set("accept", "application/json");
        RequestView view = new RequestView(HttpMethod.GET, "/api/items", null, "api.example.com", request.headers());
        ctx = new RequestContext(request, view, null, UnpooledByteBufAllocator.DEFAULT, "http", "10.1.2.3", false);
        // The first request of a client creates its bucket; the benchmarks measure hits.
        byHeader.apply(ctx);
        byIp.apply(ctx);
        exhausted.apply(ctx);
    }

    private static RateLimitConfig limit(long maxTokens, RateLimitKeyConfig key) {
        return new RateLimitConfig(maxTokens, 1L, Duration.ofNanos(1), null, key, null);
    }

    @Benchmark
    public long bucketOnly() {
        return bucket.tryAcquire();
    }

    @Benchmark
    public PolicyResult routeWide() {
        return routeWide.apply(ctx);
    }

    @Benchmark
    public PolicyResult keyedByHeaderHit() {
        return byHeader.apply(ctx);
    }

    @Benchmark
    public PolicyResult keyedByIpHit() {
        return byIp.apply(ctx);
    }

    @Benchmark
    public PolicyResult twoBuckets() {
        return twoBuckets.apply(ctx);
    }

    @Benchmark
    public boolean refused() {
        PolicyResult result = exhausted.apply(ctx);
        return ReferenceCountUtil.release(result.reply());
    }
}
