package io.portcullis.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TokenBucketTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void startsFullAndRefusesOnceEmpty() {
        TokenBucket bucket = bucket(5, 1, Duration.ofHours(1));

        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryAcquire()).as("request %d", i + 1).isZero();
        }
        assertThat(bucket.available()).isZero();
        assertThat(bucket.tryAcquire()).isEqualTo(Duration.ofHours(1).toNanos());
    }

    @Test
    void gainsTokensPerFillAtEachIntervalEnd() {
        TokenBucket bucket = bucket(10, 3, Duration.ofSeconds(1));
        drain(bucket);

        clock.advance(Duration.ofMillis(999));
        assertThat(bucket.available()).isZero();
        assertThat(bucket.tryAcquire()).isEqualTo(Duration.ofMillis(1).toNanos());

        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.available()).isEqualTo(3);

        clock.advance(Duration.ofSeconds(2));
        assertThat(bucket.available()).isEqualTo(9);
        assertThat(drain(bucket)).isEqualTo(9);
    }

    @Test
    void neverHoldsMoreThanMaxTokens() {
        TokenBucket bucket = bucket(10, 3, Duration.ofSeconds(1));
        drain(bucket);

        clock.advance(Duration.ofSeconds(4)); // 12 minted, 10 kept
        assertThat(bucket.available()).isEqualTo(10);
        clock.advance(Duration.ofDays(3)); // idle time does not build a bigger burst
        assertThat(drain(bucket)).isEqualTo(10);
    }

    @Test
    void takingFromAFullBucketForgetsTheRefillsTheCapDropped() {
        TokenBucket bucket = bucket(4, 2, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(10)); // full all along

        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.available()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(1));
        assertThat(bucket.available()).isEqualTo(4);
    }

    @Test
    void fillsAreCountedFromCreationNotFromTheLastRequest() {
        TokenBucket bucket = bucket(2, 1, Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(900));
        drain(bucket);

        assertThat(bucket.tryAcquire()).isEqualTo(Duration.ofMillis(100).toNanos());
        clock.advance(Duration.ofMillis(100));
        assertThat(bucket.tryAcquire()).isZero();
    }

    @Test
    void waitNanosLooksWithoutTaking() {
        TokenBucket bucket = bucket(1, 1, Duration.ofSeconds(1));

        assertThat(bucket.waitNanos()).isZero();
        assertThat(bucket.waitNanos()).isZero();
        assertThat(bucket.tryAcquire()).isZero();
        clock.advance(Duration.ofMillis(250));
        assertThat(bucket.waitNanos()).isEqualTo(Duration.ofMillis(750).toNanos());
    }

    @Test
    void giveBackReturnsATokenButNeverOverfills() {
        TokenBucket bucket = bucket(3, 1, Duration.ofSeconds(1));
        bucket.tryAcquire();
        bucket.tryAcquire();

        bucket.giveBack();
        assertThat(bucket.available()).isEqualTo(2);
        bucket.giveBack();
        bucket.giveBack();
        assertThat(bucket.available()).isEqualTo(3);
    }

    @Test
    void clockValuesThatOverflowALongStillCount() {
        // nanoTime may start anywhere, including just below Long.MAX_VALUE; only differences are meaningful.
        FakeClock edge = new FakeClock(Long.MAX_VALUE - Duration.ofMillis(500).toNanos());
        TokenBucket bucket = new TokenBucket(new TokenBucket.Spec(2, 1, Duration.ofSeconds(1).toNanos(), edge));
        drain(bucket);

        edge.advance(Duration.ofSeconds(1));
        assertThat(bucket.available()).isEqualTo(1);
        edge.advance(Duration.ofSeconds(5));
        assertThat(bucket.available()).isEqualTo(2);
    }

    @Test
    void theFastestAllowedRateRunsForCenturiesWithoutWrapping() {
        // One token per nanosecond is the validator's limit; after 200 years of uptime the counts are exact.
        TokenBucket bucket = new TokenBucket(new TokenBucket.Spec(1_000, 1, 1, clock));
        clock.advance(Duration.ofDays(365L * 200));
        assertThat(drain(bucket)).isEqualTo(1_000);
        clock.advance(Duration.ofNanos(7));
        assertThat(bucket.available()).isEqualTo(7);
    }

    @Test
    @Timeout(30)
    void twoThreadsNeverTakeMoreThanTheBucketHolds() throws Exception {
        int tokens = 200_000;
        TokenBucket bucket = bucket(tokens, 1, Duration.ofHours(1));
        AtomicLong taken = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        Runnable hammer = () -> {
            await(start);
            long mine = 0;
            for (int i = 0; i < tokens; i++) {
                mine += bucket.tryAcquire() == 0 ? 1 : 0;
            }
            taken.addAndGet(mine);
        };
        Thread a = new Thread(hammer, "hammer-a");
        Thread b = new Thread(hammer, "hammer-b");
        a.start();
        b.start();
        start.countDown();
        a.join();
        b.join();

        assertThat(taken.get()).isEqualTo(tokens);
        assertThat(bucket.available()).isZero();
    }

    @Test
    @Timeout(30)
    void twoThreadsWhileTheClockAdvancesTakeAtMostWhatWasMinted() throws Exception {
        TokenBucket bucket = bucket(50, 10, Duration.ofMillis(1));
        AtomicLong taken = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        Runnable hammer = () -> {
            await(start);
            long mine = 0;
            for (int i = 0; i < 500_000; i++) {
                mine += bucket.tryAcquire() == 0 ? 1 : 0;
            }
            taken.addAndGet(mine);
            done.countDown();
        };
        new Thread(hammer, "hammer-a").start();
        new Thread(hammer, "hammer-b").start();
        start.countDown();
        int ticks = 0;
        while (done.getCount() > 0) {
            clock.advance(Duration.ofMillis(1));
            ticks++;
            Thread.onSpinWait();
        }
        done.await();

        assertThat(taken.get()).isPositive().isLessThanOrEqualTo(50 + 10L * ticks);
        assertThat(taken.get() + bucket.available()).isLessThanOrEqualTo(50 + 10L * ticks);
    }

    private TokenBucket bucket(long maxTokens, long tokensPerFill, Duration fillInterval) {
        return new TokenBucket(new TokenBucket.Spec(maxTokens, tokensPerFill, fillInterval.toNanos(), clock));
    }

    /** Takes every token there is; returns how many. */
    private static int drain(TokenBucket bucket) {
        int n = 0;
        while (bucket.tryAcquire() == 0) {
            n++;
        }
        return n;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
