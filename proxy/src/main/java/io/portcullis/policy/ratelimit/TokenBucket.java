package io.portcullis.policy.ratelimit;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * agentgateway's token bucket: it starts full with {@code maxTokens}; at the end of every {@code fillInterval}
 * (counted from the bucket's creation) it gains {@code tokensPerFill}, never holding more than
 * {@code maxTokens}; a request takes one token. Refills are computed lazily from a monotonic clock when the
 * bucket is used, so an idle bucket costs nothing.
 *
 * <p><b>Threading.</b> One route's buckets are shared by every event loop, so the bucket is lock-free: its whole
 * state is one {@code long} changed by compare-and-set. A lock would be simpler to read but could park an
 * event loop behind another one; a CAS loop never blocks, retries only when another thread changed the
 * bucket in the same few nanoseconds, allocates nothing, and leaves an empty bucket unwritten (a refused
 * request only reads it, so a flood of refusals does not bounce the cache line between cores).
 *
 * <p><b>State.</b> Instead of the pair (tokens, time of last refill), the bucket keeps one number,
 * {@code base}, chosen so that at fill tick {@code k} (whole intervals since creation) it holds
 * <pre>  tokens(k) = min(maxTokens, k × tokensPerFill − base)</pre>
 * Taking a token at tick {@code k} stores {@code base = k × tokensPerFill − (tokens(k) − 1)}, which also
 * forgets any refill the cap threw away. The arithmetic wraps modulo 2<sup>64</sup> (Java {@code long}
 * overflow), which is harmless because only the difference {@code k × tokensPerFill − base} is used: it is
 * exact as long as a bucket gains fewer than 2<sup>63</sup> tokens between two uses, and the config
 * validator caps the rate at one token per nanosecond, so that takes 292 years. A negative difference can
 * therefore only mean such a wrap (the bucket would be far past full) and is read as full.
 *
 * <p>The clock is read <em>after</em> the state: the thread that wrote the state read the clock before its
 * CAS, so this read is never older than the tick the state was computed for (with a stale reading the
 * difference above could dip below zero by up to one fill and be mistaken for a wrap).
 */
public final class TokenBucket {
    private static final VarHandle BASE;

    static {
        try {
            BASE = MethodHandles.lookup().findVarHandle(TokenBucket.class, "base", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Spec spec;
    private final long origin;
    @SuppressWarnings("unused") // accessed through BASE
    private volatile long base;

    /**
     * The fixed parameters of a bucket; a keyed limit shares one instance among all its buckets, so each
     * client's bucket is only its origin and its state.
     *
     * @param clock nanosecond monotonic time ({@link Ticker#systemTicker()}; a fake one in tests)
     */
    public record Spec(long maxTokens, long tokensPerFill, long fillIntervalNanos, Ticker clock) {
        public Spec {
            requireNonNull(clock, "clock");
            if (maxTokens < 1 || tokensPerFill < 1 || tokensPerFill > maxTokens || fillIntervalNanos < 1
                    || tokensPerFill > fillIntervalNanos) {
                // The validator has refused such a config with a path and line; this guards other callers.
                throw new IllegalArgumentException("maxTokens " + maxTokens + ", tokensPerFill " + tokensPerFill
                        + ", fillInterval " + fillIntervalNanos + "ns (expected: 1 <= tokensPerFill <= maxTokens, "
                        + "fillInterval >= 1ns, at most one token per nanosecond)");
            }
        }

        /**
         * How long an emptied bucket takes to be full again: after this long without use a bucket is
         * indistinguishable from a new one, so a keyed limit may drop it. Saturates instead of overflowing.
         */
        public long refillAllNanos() {
            long fills = (maxTokens + tokensPerFill - 1) / tokensPerFill;
            return fills > Long.MAX_VALUE / fillIntervalNanos ? Long.MAX_VALUE : fills * fillIntervalNanos;
        }
    }

    /** A full bucket whose fill ticks are counted from now. */
    public TokenBucket(Spec spec) {
        this.spec = requireNonNull(spec, "spec");
        this.origin = spec.clock().read();
        this.base = -spec.maxTokens(); // tokens(0) = 0 × tokensPerFill − base = maxTokens
    }

    public Spec spec() {
        return spec;
    }

    /**
     * Takes one token if there is one.
     *
     * @return 0 when a token was taken; otherwise the nanoseconds until the next fill (at least 1)
     */
    public long tryAcquire() {
        while (true) {
            long current = (long) BASE.getVolatile(this);
            long now = spec.clock().read(); // after the state, see the class comment
            long tick = tick(now);
            long minted = tick * spec.tokensPerFill(); // wraps; only differences matter
            long tokens = tokens(minted, current);
            if (tokens == 0) {
                return untilNextFill(now);
            }
            if (BASE.compareAndSet(this, current, minted - (tokens - 1))) {
                return 0;
            }
            // Another thread took a token or refilled in between: look again.
        }
    }

    /**
     * Whether a token is available now, without taking it.
     *
     * @return 0 when {@link #tryAcquire} would probably succeed; otherwise the nanoseconds until the next fill
     */
    long waitNanos() {
        long current = (long) BASE.getVolatile(this);
        long now = spec.clock().read();
        return tokens(tick(now) * spec.tokensPerFill(), current) == 0 ? untilNextFill(now) : 0;
    }

    /**
     * Returns a token taken by a request that was refused by another bucket after all; never fills past
     * {@code maxTokens} (if a refill happened in between, the bucket may already be full).
     */
    void giveBack() {
        while (true) {
            long current = (long) BASE.getVolatile(this);
            long minted = tick(spec.clock().read()) * spec.tokensPerFill();
            if (tokens(minted, current) >= spec.maxTokens()) {
                return;
            }
            if (BASE.compareAndSet(this, current, current - 1)) {
                return;
            }
        }
    }

    /** The tokens held now (a snapshot, for tests and diagnostics). */
    public long available() {
        long current = (long) BASE.getVolatile(this);
        return tokens(tick(spec.clock().read()) * spec.tokensPerFill(), current);
    }

    private long tick(long now) {
        // Never negative: a thread that sees this bucket read the clock after its creator did.
        return Math.max(0, now - origin) / spec.fillIntervalNanos();
    }

    private long tokens(long minted, long current) {
        long tokens = minted - current;
        return tokens < 0 || tokens > spec.maxTokens() ? spec.maxTokens() : tokens;
    }

    private long untilNextFill(long now) {
        long interval = spec.fillIntervalNanos();
        return interval - Math.max(0, now - origin) % interval;
    }
}
