package io.portcullis.policy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryReplayStoreTest {
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void aJtiIsAcceptedOnceUntilItExpires() {
        InMemoryReplayStore store = new InMemoryReplayStore(10, now::get);
        assertThat(store.firstUse("a", 1_300)).isEqualTo(ReplayStore.Outcome.FIRST_USE);
        assertThat(store.firstUse("a", 1_300)).isEqualTo(ReplayStore.Outcome.REPLAYED);
        now.set(1_299);
        assertThat(store.firstUse("a", 1_600)).isEqualTo(ReplayStore.Outcome.REPLAYED);
        now.set(1_301); // the first use expired: the token could not be accepted anyway, the jti is free again
        assertThat(store.firstUse("a", 1_600)).isEqualTo(ReplayStore.Outcome.FIRST_USE);
    }

    @Test
    void whenFullItDropsExpiredEntriesAndOtherwiseRefusesRatherThanForgets() {
        InMemoryReplayStore store = new InMemoryReplayStore(2, now::get);
        assertThat(store.firstUse("a", 1_010)).isEqualTo(ReplayStore.Outcome.FIRST_USE);
        assertThat(store.firstUse("b", 1_500)).isEqualTo(ReplayStore.Outcome.FIRST_USE);
        assertThat(store.firstUse("c", 1_500)).isEqualTo(ReplayStore.Outcome.FULL);
        assertThat(store.firstUse("b", 1_500)).isEqualTo(ReplayStore.Outcome.REPLAYED);
        now.set(1_011); // "a" expired: the sweep makes room
        assertThat(store.firstUse("c", 1_500)).isEqualTo(ReplayStore.Outcome.FIRST_USE);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void ofConcurrentUsesOfOneJtiExactlyOneWins() throws Exception {
        for (int round = 0; round < 200; round++) {
            InMemoryReplayStore store = new InMemoryReplayStore(1_000, now::get);
            AtomicInteger winners = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[2];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (store.firstUse("same", 2_000) == ReplayStore.Outcome.FIRST_USE) {
                        winners.incrementAndGet();
                    }
                });
                threads[t].start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(5_000);
            }
            assertThat(winners.get()).isEqualTo(1);
        }
    }

    @Test
    void aLargeStoreHoldsItsCapacityOfDistinctValuesAndRemembersEachOfThem() {
        int capacity = 200_000; // split into stripes
        InMemoryReplayStore store = new InMemoryReplayStore(capacity, now::get);
        for (int i = 0; i < capacity; i++) {
            assertThat(store.firstUse(jti(i), 1_100))
                    .as("value %d", i).isEqualTo(ReplayStore.Outcome.FIRST_USE);
        }
        assertThat(store.size()).isEqualTo(capacity);
        for (int i = 0; i < capacity; i += 997) {
            assertThat(store.firstUse(jti(i), 1_100))
                    .isEqualTo(ReplayStore.Outcome.REPLAYED);
        }
        now.set(1_101); // all expired: the stripes sweep themselves when they fill up again
        for (int i = 0; i < capacity; i++) {
            assertThat(store.firstUse("next-" + i, 1_500)).isEqualTo(ReplayStore.Outcome.FIRST_USE);
        }
    }

    /** A proof-style value: a key thumbprint scope and a UUID. */
    private static String jti(int i) {
        return "jkt:" + UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
    }
}
