package io.portcullis.policy.jwt;

import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * A bounded in-memory {@link ReplayStore} that keeps a 64-bit hash of each {@code jti} and its expiry in flat
 * open-addressing arrays: 16 to 32 bytes per remembered value, allocated once, no object per entry. At
 * 10,000 proofs per second with a 35-second acceptance window that is 350,000 values in 6 to 11 MiB, where a
 * map of strings would take ~60 MiB and keep the collector busy.
 *
 * <p>When full it first drops expired entries (at most once a second per stripe), and if it is still full it
 * refuses new values rather than forgetting unexpired ones: forgetting would let a stolen token be replayed,
 * refusing only delays honest clients. Size it above peak values/s × acceptance window.
 *
 * <p>Two different {@code jti} values with the same hash count as one: the later is refused as a replay.
 * The hash is seeded per process, so which values collide cannot be predicted from outside, and at a million
 * remembered values the chance that a given new value collides is about one in 10<sup>13</sup>.
 *
 * <p>Event loops share the store: it is split into up to 16 stripes by hash, each behind its own monitor,
 * held only for a few array probes. A split store holds at least {@code capacity} values (each stripe has a
 * little headroom, as hashes fill stripes only evenly on average).
 */
final class InMemoryReplayStore implements ReplayStore {
    private static final int MAX_STRIPES = 16;
    /** Below this many values per stripe the store is not split (exact capacity for small stores). */
    private static final int MIN_STRIPE_CAPACITY = 1024;

    private final Stripe[] stripes;
    private final LongSupplier clock;
    private final long seed = new SecureRandom().nextLong();

    InMemoryReplayStore(int capacity, LongSupplier epochSeconds) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        int count = 1;
        while (count < MAX_STRIPES && capacity / (count * 2) >= MIN_STRIPE_CAPACITY) {
            count *= 2;
        }
        this.stripes = new Stripe[count];
        long base = epochSeconds.getAsLong();
        // Hashes spread values over the stripes only on average: a few percent of headroom per stripe keeps
        // the whole store from refusing before it holds `capacity` values.
        int perStripe = count == 1 ? capacity : (int) Math.min(Integer.MAX_VALUE / 4, capacity / count * 21L / 20 + 64);
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe(perStripe, base);
        }
        this.clock = epochSeconds;
    }

    @Override
    public Outcome firstUse(String jti, long expiresAtEpochSeconds) {
        long hash = hash(jti);
        Stripe stripe = stripes[(int) (hash >>> 59) & (stripes.length - 1)];
        synchronized (stripe) {
            return stripe.firstUse(hash, expiresAtEpochSeconds, clock.getAsLong());
        }
    }

    /** Seeded FNV-1a over the characters, then a 64-bit finaliser so that every bit depends on every input bit. */
    private long hash(String jti) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = 0, n = jti.length(); i < n; i++) {
            h = (h ^ jti.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    int size() {
        int size = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                size += s.size;
            }
        }
        return size;
    }

    /** One part of the table: linear probing over a power-of-two array at most three quarters full. */
    private static final class Stripe {
        private final int capacity;
        /** Expiries are stored as seconds after {@code base} in an int: half the memory of a long. */
        private final long base;
        private long[] hashes;
        private int[] expiries;
        private int size;
        private long lastSweep = Long.MIN_VALUE;

        Stripe(int capacity, long base) {
            this.capacity = capacity;
            this.base = base;
            // At most 3/4 full: short probe runs, and 16 to 32 bytes a value after rounding to a power of two.
            int slots = Integer.highestOneBit(Math.max(2, (int) Math.min(1 << 30, capacity * 4L / 3 + 1)) - 1) << 1;
            this.hashes = new long[slots];
            this.expiries = new int[slots];
        }

        Outcome firstUse(long hash, long expiresAt, long now) {
            int mask = hashes.length - 1;
            for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
                long h = hashes[i];
                if (h == hash) {
                    if (expiries[i] < relative(now)) {
                        expiries[i] = relative(expiresAt); // the earlier use expired and was not swept yet
                        return Outcome.FIRST_USE;
                    }
                    return Outcome.REPLAYED;
                }
                if (h == 0) {
                    if (size >= capacity) {
                        return sweep(now) ? firstUse(hash, expiresAt, now) : Outcome.FULL;
                    }
                    hashes[i] = hash;
                    expiries[i] = relative(expiresAt);
                    size++;
                    return Outcome.FIRST_USE;
                }
            }
        }

        private int relative(long epochSeconds) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, epochSeconds - base));
        }

        /** Rebuilds the stripe without expired entries, once a second at most; true when that made room. */
        private boolean sweep(long now) {
            if (now <= lastSweep) {
                return false;
            }
            lastSweep = now;
            long[] oldHashes = hashes;
            int[] oldExpiries = expiries;
            hashes = new long[oldHashes.length];
            expiries = new int[oldExpiries.length];
            size = 0;
            int mask = hashes.length - 1;
            int cutoff = relative(now);
            for (int j = 0; j < oldHashes.length; j++) {
                if (oldHashes[j] != 0 && oldExpiries[j] >= cutoff) {
                    int i = (int) oldHashes[j] & mask;
                    while (hashes[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    hashes[i] = oldHashes[j];
                    expiries[i] = oldExpiries[j];
                    size++;
                }
            }
            return size < capacity;
        }
    }
}
