package io.portcullis.policy.ratelimit;

import static io.portcullis.policy.ratelimit.Requests.from;
import static io.portcullis.policy.ratelimit.Requests.withClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.config.policy.RateLimitConfig;
import io.portcullis.config.policy.RateLimitConfig.RateLimitKeyConfig;
import io.portcullis.policy.PolicyResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalRateLimitPolicyTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void letsMaxTokensThroughThenRefusesWith429AndRateLimitHeaders() {
        LocalRateLimitPolicy policy = policy(bucket(5, 1, Duration.ofHours(1)));
        for (int i = 0; i < 5; i++) {
            assertThat(policy.apply(from("10.0.0.1")).isContinue()).as("request %d", i + 1).isTrue();
        }
        clock.advance(Duration.ofMinutes(30));

        PolicyResult refused = policy.apply(from("10.0.0.1"));

        assertRefused(refused, "5", "1800");
    }

    @Test
    void resetRoundsUpToWholeSecondsAndIsAtLeastOne() {
        LocalRateLimitPolicy slow = policy(bucket(1, 1, Duration.ofMillis(1500)));
        slow.apply(from("10.0.0.1"));
        assertRefused(slow.apply(from("10.0.0.1")), "1", "2");

        LocalRateLimitPolicy fast = policy(bucket(1, 1, Duration.ofMillis(100)));
        fast.apply(from("10.0.0.1"));
        assertRefused(fast.apply(from("10.0.0.1")), "1", "1");
    }

    @Test
    void refillLetsRequestsThroughAgain() {
        LocalRateLimitPolicy policy = policy(bucket(2, 1, Duration.ofSeconds(1)));
        policy.apply(from("10.0.0.1"));
        policy.apply(from("10.0.0.1"));
        release(policy.apply(from("10.0.0.1")));

        clock.advance(Duration.ofSeconds(1));

        assertThat(policy.apply(from("10.0.0.1")).isContinue()).isTrue();
        release(policy.apply(from("10.0.0.1")));
    }

    @Test
    void aRequestRefusedByOneBucketTakesNothingFromTheOthers() {
        // hourly: 3 per hour; perSecond: 1 per second. Refusals by perSecond must not spend hourly's tokens.
        LocalRateLimitPolicy policy = policy(bucket(3, 1, Duration.ofHours(1)), bucket(1, 1, Duration.ofSeconds(1)));

        for (int second = 0; second < 2; second++) {
            assertThat(policy.apply(from("10.0.0.1")).isContinue()).as("second %d", second).isTrue();
            for (int i = 0; i < 10; i++) {
                assertRefused(policy.apply(from("10.0.0.1")), "1", "1");
            }
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(policy.apply(from("10.0.0.1")).isContinue()).as("hourly's third token is still there").isTrue();
        assertRefused(policy.apply(from("10.0.0.1")), "3", Long.toString(3600 - 2));
    }

    @Test
    void whenSeveralBucketsAreEmptyTheOneThatRefillsLastAnswers() {
        LocalRateLimitPolicy policy = policy(bucket(1, 1, Duration.ofSeconds(1)), bucket(1, 1, Duration.ofMinutes(1)));
        policy.apply(from("10.0.0.1"));

        assertRefused(policy.apply(from("10.0.0.1")), "1", "60");
    }

    @Test
    void headerKeyGivesEachClientItsOwnBucket() {
        LocalRateLimitPolicy policy = policy(keyed(2, new RateLimitKeyConfig(null, "x-user", null)));
        assertThat(policy.apply(from("10.0.0.1", "x-user", "alice")).isContinue()).isTrue();
        assertThat(policy.apply(from("10.0.0.1", "x-user", "alice")).isContinue()).isTrue();
        assertRefused(policy.apply(from("10.0.0.1", "x-user", "alice")), "2", "3600");

        assertThat(policy.apply(from("10.0.0.1", "x-user", "bob")).isContinue()).as("same IP, other user").isTrue();
        assertThat(policy.apply(from("10.0.0.1")).isContinue()).as("no header: keyed by IP").isTrue();
        assertThat(policy.apply(from("10.0.0.1")).isContinue()).isTrue();
        assertRefused(policy.apply(from("10.0.0.1")), "2", "3600");
        assertThat(policy.apply(from("10.0.0.2")).isContinue()).as("another IP").isTrue();
    }

    @Test
    void claimKeyLimitsPerUserAcrossAddressesAndAnonymousClientsPerAddress() {
        LocalRateLimitPolicy policy = policy(keyed(1, new RateLimitKeyConfig("sub", null, null)));

        assertThat(policy.apply(withClaims("10.0.0.1", Map.of("sub", "alice"))).isContinue()).isTrue();
        assertRefused(policy.apply(withClaims("10.0.0.2", Map.of("sub", "alice"))), "1", "3600");
        assertThat(policy.apply(withClaims("10.0.0.1", Map.of("sub", "bob"))).isContinue()).isTrue();
        assertThat(policy.apply(from("10.0.0.1")).isContinue()).isTrue();
        assertRefused(policy.apply(from("10.0.0.1")), "1", "3600");
    }

    @Test
    void aHeaderValueNamingAnIpCannotDrainThatIpsBucket() {
        LocalRateLimitPolicy policy = policy(keyed(1, new RateLimitKeyConfig(null, "x-user", null)));

        assertThat(policy.apply(from("10.0.0.9", "x-user", "10.0.0.7")).isContinue()).isTrue();
        assertThat(policy.apply(from("10.0.0.7")).isContinue()).isTrue();
    }

    @Test
    void ipKeyGivesEachAddressItsOwnBucket() {
        LocalRateLimitPolicy policy = policy(keyed(1, new RateLimitKeyConfig(null, null, true)));

        assertThat(policy.apply(from("10.0.0.1", "x-user", "a")).isContinue()).isTrue();
        assertRefused(policy.apply(from("10.0.0.1", "x-user", "b")), "1", "3600");
        assertThat(policy.apply(from("10.0.0.2")).isContinue()).isTrue();
    }

    @Test
    void keyedBucketsAreBoundedByMaxKeys() {
        KeyedBuckets buckets = new KeyedBuckets(new ClientKey.PeerAddress(), spec(1, 1, Duration.ofHours(1)), 10);
        for (int i = 0; i < 1_000; i++) {
            buckets.bucketFor(from("10.0." + (i / 256) + "." + (i % 256))).tryAcquire();
        }

        assertThat(buckets.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void anIdleKeyedBucketExpiresOnceItWouldBeFullAgain() {
        // 5 tokens, 2 per second: full again 3 s after being emptied.
        KeyedBuckets buckets = new KeyedBuckets(new ClientKey.PeerAddress(), spec(5, 2, Duration.ofSeconds(1)), 100);
        TokenBucket first = buckets.bucketFor(from("10.0.0.1"));
        first.tryAcquire();

        clock.advance(Duration.ofMillis(2999));
        assertThat(buckets.size()).isOne();
        assertThat(buckets.bucketFor(from("10.0.0.1"))).isSameAs(first); // the access restarts the timer
        clock.advance(Duration.ofMillis(2999));
        assertThat(buckets.size()).isOne();

        clock.advance(Duration.ofMillis(1));
        assertThat(buckets.size()).isZero();
        assertThat(buckets.bucketFor(from("10.0.0.1")).available()).isEqualTo(5);
    }

    // ------------------------------------------------------------------ fixtures

    private LocalRateLimitPolicy policy(RateLimitConfig... buckets) {
        return LocalRateLimitPolicy.compile(List.of(buckets), clock);
    }

    private TokenBucket.Spec spec(long maxTokens, long tokensPerFill, Duration fillInterval) {
        return new TokenBucket.Spec(maxTokens, tokensPerFill, fillInterval.toNanos(), clock);
    }

    private static RateLimitConfig bucket(long maxTokens, long tokensPerFill, Duration fillInterval) {
        return new RateLimitConfig(maxTokens, tokensPerFill, fillInterval, null, null, null);
    }

    private static RateLimitConfig keyed(long maxTokens, RateLimitKeyConfig key) {
        return new RateLimitConfig(maxTokens, 1L, Duration.ofHours(1), null, key, null);
    }

    /** Asserts a 429 from the bucket with {@code limit} tokens, {@code reset} seconds from its next fill. */
    private static void assertRefused(PolicyResult result, String limit, String reset) {
        assertThat(result.isContinue()).as("refused").isFalse();
        FullHttpResponse reply = result.reply();
        try {
            assertThat(result.reason()).isEqualTo("rate_limited");
            assertThat(reply.status()).isEqualTo(HttpResponseStatus.TOO_MANY_REQUESTS);
            assertThat(reply.headers().get("x-ratelimit-limit")).isEqualTo(limit);
            assertThat(reply.headers().get("x-ratelimit-remaining")).isEqualTo("0");
            assertThat(reply.headers().get("x-ratelimit-reset")).isEqualTo(reset);
            assertThat(reply.headers().get("retry-after")).isEqualTo(reset);
        } finally {
            ReferenceCountUtil.release(reply);
        }
    }

    private static void release(PolicyResult result) {
        assertThat(result.isContinue()).as("refused").isFalse();
        ReferenceCountUtil.release(result.reply());
    }

}
