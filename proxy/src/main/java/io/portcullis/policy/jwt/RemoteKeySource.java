package io.portcullis.policy.jwt;

import io.portcullis.observability.Log;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A key set fetched from a URL, entirely off the event loop: at load (without failing it: the endpoint may
 * come up later), then every {@link #REFRESH}, and again when a token names an unknown {@code kid} — at
 * most once per {@link #MIN_REFETCH}, so tokens with made-up kids cannot turn the gateway into a flood of
 * JWKS requests. Requests that wait for a fetch resume when it completes. A failed fetch keeps the last
 * good keys.
 */
final class RemoteKeySource implements KeySource {
    static final Duration REFRESH = Duration.ofMinutes(5);
    static final Duration MIN_REFETCH = Duration.ofSeconds(2);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_BYTES = 512 * 1024;

    private final URI url;
    /** For logs: scheme, host and path only, since a query or user-info part may carry a credential. */
    private final String shownUrl;
    private volatile KeySet keys = KeySet.EMPTY;
    /** The fetch in flight, or null. Guarded by {@code this}. */
    private CompletableFuture<Void> inFlight;
    private long lastFetchStarted = Long.MIN_VALUE / 2;
    /** The periodic refresh; cancelled by {@link #close}, after which no fetch starts. Guarded by {@code this}. */
    private ScheduledFuture<?> refresh;
    private boolean closed;

    private RemoteKeySource(URI url) {
        this.url = url;
        this.shownUrl = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getPath();
    }

    static RemoteKeySource start(URI url) {
        RemoteKeySource source = new RemoteKeySource(url);
        long period = REFRESH.toSeconds();
        synchronized (source) {
            source.fetch();
            source.refresh = Background.SCHEDULER.scheduleWithFixedDelay(source::fetch, period, period, TimeUnit.SECONDS);
        }
        return source;
    }

    @Override
    public KeySet current() {
        return keys;
    }

    /**
     * Within {@link #MIN_REFETCH} of the last fetch, the next one is scheduled for the end of that window and
     * shared by everyone asking meanwhile: a token signed with a key published a moment ago waits at most
     * that long instead of failing, and made-up kids still cause at most one fetch per window.
     */
    @Override
    public synchronized CompletableFuture<Void> refetch() {
        if (inFlight != null) {
            return inFlight;
        }
        long wait = MIN_REFETCH.toNanos() - (System.nanoTime() - lastFetchStarted);
        if (wait <= 0) {
            return fetch();
        }
        CompletableFuture<Void> later = new CompletableFuture<>();
        inFlight = later;
        Background.SCHEDULER.schedule(() -> {
            synchronized (this) {
                inFlight = null;
                fetch().whenComplete((ok, error) -> later.complete(null));
            }
        }, wait, TimeUnit.NANOSECONDS);
        return later;
    }

    private synchronized CompletableFuture<Void> fetch() {
        if (inFlight != null) {
            return inFlight;
        }
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        lastFetchStarted = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        CompletableFuture<Void> fetch = Background.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(this::read)
                .thenAccept(json -> {
                    try {
                        keys = JwksParser.parse(json);
                    } catch (JwksParser.InvalidJwksException e) {
                        throw new IllegalStateException(e.getMessage());
                    }
                })
                .whenComplete((ok, error) -> done(error));
        inFlight = fetch;
        return fetch;
    }

    /** Runs on the background thread: reading the body there blocks nothing that serves requests. */
    private String read(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException("key set larger than " + MAX_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        refresh.cancel(false);
    }

    private synchronized void done(Throwable error) {
        inFlight = null;
        if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            Log.warn("jwks " + shownUrl + " not fetched, keeping " + keys.size() + " keys: " + cause.getMessage());
        }
    }
}
