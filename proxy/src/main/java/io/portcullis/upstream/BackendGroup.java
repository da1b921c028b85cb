package io.portcullis.upstream;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The weighted backends of a route. Selection is weighted random over the healthy backends: it keeps no
 * shared counter, so event loops never contend, and over many requests it honours the weights.
 */
public final class BackendGroup {
    private final Backend[] backends;
    private final int totalWeight;

    public BackendGroup(List<Backend> backends) {
        this.backends = backends.toArray(new Backend[0]);
        int sum = 0;
        for (Backend b : this.backends) {
            sum += b.weight();
        }
        this.totalWeight = sum;
    }

    public List<Backend> backends() {
        return List.of(backends);
    }

    /** A healthy backend chosen by weight, or null when every weighted backend is ejected. */
    public Backend select() {
        if (backends.length == 1) {
            Backend only = backends[0];
            return only.weight() > 0 && only.isHealthyNow() ? only : null;
        }
        long now = System.nanoTime();
        int healthyWeight = 0;
        for (Backend b : backends) {
            if (b.isHealthy(now)) {
                healthyWeight += b.weight();
            }
        }
        if (healthyWeight == 0) {
            return null;
        }
        int pick = healthyWeight == totalWeight && totalWeight > 0
                ? ThreadLocalRandom.current().nextInt(totalWeight)
                : ThreadLocalRandom.current().nextInt(healthyWeight);
        for (Backend b : backends) {
            if (b.weight() > 0 && b.isHealthy(now)) {
                pick -= b.weight();
                if (pick < 0) {
                    return b;
                }
            }
        }
        return null;
    }
}
