package io.portcullis.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The access log's queue: a stalled sink makes lines drop and count, never block the caller. */
@Timeout(30)
class AccessLogTest {

    @Test
    void aStalledSinkDropsAndCountsInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                await(release);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                await(release);
            }
        };
        Metrics metrics = new Metrics("t");
        AccessLog log = new AccessLog(stalled, false, metrics, 4);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            log.offer(entry("/r" + i));
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
        // At most the queue (4) plus the batch the writer holds (up to 256) got through.
        assertThat(dropped(metrics)).isGreaterThanOrEqualTo(1000 - 4 - 256);
        release.countDown();
        log.close();
    }

    @Test
    void linesAreJsonOnePerEntry() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Metrics metrics = new Metrics("t");
        AccessLog log = new AccessLog(out, false, metrics, 16);
        log.offer(entry("/a"));
        log.offer(entry("/b \"quoted\"\n"));
        log.close();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("{\"time\":\"").contains("\"path\":\"/a\"", "\"status\":200",
                "\"duration_ms\":1.5", "\"jwt.sub\":\"alice\"", "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"");
        assertThat(lines[1]).contains("\"path\":\"/b \\\"quoted\\\"\\n\"");
        assertThat(dropped(metrics)).isZero();
    }

    private static AccessLog.Entry entry(String path) {
        return new AccessLog.Entry(System.currentTimeMillis(), "r", "GET", path, 200, "upstream", 1_500_000, 0, 10,
                "10.0.0.1:80", "alice", "j1", "iss", null, null, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    private static double dropped(Metrics metrics) throws Exception {
        ByteArrayOutputStream scrape = new ByteArrayOutputStream();
        metrics.scrape(scrape);
        return ObservabilityIT.samples(scrape.toString()).get("t_access_log_dropped_total");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
