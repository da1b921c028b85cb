package io.portcullis.policy.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A nanosecond clock that moves only when told to (thread-safe). */
final class FakeClock implements Ticker {
    private final AtomicLong nanos;

    FakeClock() {
        this(1_000_000_000L);
    }

    FakeClock(long startNanos) {
        nanos = new AtomicLong(startNanos);
    }

    @Override
    public long read() {
        return nanos.get();
    }

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
