package io.portcullis.tls;

import io.portcullis.observability.Log;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that watches listener certificate files: never an event loop, since reading files and
 * building a context (parsing PEM, loading keys) blocks. Daemon, so it never holds the process open. Each
 * started server registers its contexts and cancels them when it closes.
 */
public final class CertificateReloader {
    /**
     * How often files are checked: {@code -Dportcullis.tls.reloadIntervalMillis}, default 5 s. Tests in this
     * package shorten it before starting a server; a running schedule keeps the interval it started with.
     */
    static volatile long intervalMillis = Long.getLong("portcullis.tls.reloadIntervalMillis", 5_000);

    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private CertificateReloader() {}

    /** One daemon thread; a watch cancelled by a reload or a stop leaves the queue at once. */
    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "portcullis-tls-reload");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /** Polls {@code contexts} until the returned handle is cancelled. */
    public static ScheduledFuture<?> watch(List<ReloadingSslContext> contexts) {
        long interval = intervalMillis;
        return SCHEDULER.scheduleWithFixedDelay(() -> {
            for (ReloadingSslContext context : contexts) {
                try {
                    context.poll();
                } catch (RuntimeException e) { // never let one failure end the schedule
                    Log.warn("tls reload check failed: " + e);
                }
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }
}
