package io.portcullis.policy.jwt;

/**
 * Remembers which {@code jti} values were used, each until its token (or proof) can no longer be accepted
 * anyway. In memory per process here; the interface is what a shared store (Redis {@code SET NX EX}, seed
 * 002 section 7.3) implements so that replicas refuse each other's replays.
 */
public interface ReplayStore {

    enum Outcome { FIRST_USE, REPLAYED, FULL }

    /**
     * Records {@code jti} as used until {@code expiresAtEpochSeconds}. Must be atomic: of two concurrent
     * calls with the same jti exactly one sees {@link Outcome#FIRST_USE}. Must not block.
     */
    Outcome firstUse(String jti, long expiresAtEpochSeconds);
}
