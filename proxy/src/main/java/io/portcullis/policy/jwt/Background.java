package io.portcullis.policy.jwt;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one thread where key sets are read and fetched, and the HTTP client that fetches them: never an event
 * loop, so a slow JWKS endpoint or disk delays key updates, not requests. Daemon, so it never holds the
 * process open after shutdown.
 */
final class Background {
    static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(SCHEDULER)
            .build();

    private Background() {}

    /** One daemon thread; a schedule cancelled by a reload leaves the queue at once rather than at its next run. */
    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "portcullis-jwks");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
