package io.portcullis.policy.jwt;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A bounded in-memory {@link ReplayStore}. When full it first drops expired entries (at most once a second),
 * and if it is still full it refuses new tokens rather than forgetting unexpired ones: forgetting would let
 * a stolen token be replayed, refusing only delays honest clients. Size it above peak tokens/s × TTL.
 */
final class InMemoryReplayStore implements ReplayStore {
    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    private final int capacity;
    private final LongSupplier clock;
    private final AtomicLong lastSweep = new AtomicLong();

    InMemoryReplayStore(int capacity, LongSupplier epochSeconds) {
        this.capacity = capacity;
        this.clock = epochSeconds;
    }

    @Override
    public Outcome firstUse(String jti, long expiresAtEpochSeconds) {
        if (seen.size() >= capacity) {
            sweep();
            if (seen.size() >= capacity) {
                return seen.containsKey(jti) ? Outcome.REPLAYED : Outcome.FULL;
            }
        }
        long now = clock.getAsLong();
        Long previous = seen.putIfAbsent(jti, expiresAtEpochSeconds);
        if (previous == null) {
            return Outcome.FIRST_USE;
        }
        if (previous < now && seen.replace(jti, previous, expiresAtEpochSeconds)) {
            return Outcome.FIRST_USE; // the earlier use expired and was not swept yet
        }
        return Outcome.REPLAYED;
    }

    private void sweep() {
        long now = clock.getAsLong();
        long last = lastSweep.get();
        if (now > last && lastSweep.compareAndSet(last, now)) {
            seen.values().removeIf(expires -> expires < now);
        }
    }

    int size() {
        return seen.size();
    }
}
