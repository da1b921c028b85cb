package io.portcullis.observability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One JSON line per request, written by one background thread: event loops only {@link #offer} an
 * {@link Entry} to a bounded queue, and when the sink cannot keep up (a full pipe, a slow disk) the line is
 * dropped and counted ({@code *_access_log_dropped_total}) instead of blocking traffic.
 *
 * <p>What is logged is chosen here and nowhere else: the route, method, path (never the query, which may
 * carry a credential), status, reason, timing, sizes, the backend, three claims of a validated token
 * ({@code sub}, {@code jti}, {@code iss}), the {@code htm} / {@code htu} a token was bound to when they did
 * not fit the request, and the W3C trace id. Headers and tokens are never written.
 */
public final class AccessLog implements AutoCloseable {
    static final int CAPACITY = 16_384;
    private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator("").build();

    /** How long the writer sleeps when the queue is empty: the most a line waits before it is written. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    // Lock-free and never signalled: a blocking queue's lock and wake-up of the writer for every request
    // cost ~10 µs of CPU a request at 30k requests/s (measured with bench/tls-load.sh); the writer polls.
    private final Queue<Entry> queue;
    private final Metrics metrics;
    private final OutputStream out;
    private final boolean closeOut;
    private final Thread writer;
    private volatile boolean closed;

    /** A finished request, captured on the event loop; formatting happens on the writer thread. */
    public record Entry(long epochMillis, String route, String method, String path, int status, String reason,
                        long durationNanos, long bytesIn, long bytesOut, String upstream, Object sub, Object jti,
                        Object iss, Object htm, Object htu, String traceparent) {}

    AccessLog(OutputStream out, boolean closeOut, Metrics metrics, int capacity) {
        this.out = out;
        this.closeOut = closeOut;
        this.metrics = metrics;
        this.queue = PlatformDependent.newFixedMpscQueue(capacity);
        this.writer = new Thread(this::run, "portcullis-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens the sink {@code target}: {@code stdout}, {@code stderr} or a file path (appended to); null for
     * {@code off}. Opening a file is done here, at startup, never on an event loop.
     */
    public static AccessLog open(String target, Metrics metrics) throws IOException {
        if (target == null || target.equals("off")) {
            return null;
        }
        if (target.equals("stdout")) {
            return new AccessLog(new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                    false, metrics, CAPACITY);
        }
        if (target.equals("stderr")) {
            return new AccessLog(new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.err), 1 << 16),
                    false, metrics, CAPACITY);
        }
        return new AccessLog(new BufferedOutputStream(new FileOutputStream(target, true), 1 << 16), true, metrics,
                CAPACITY);
    }

    /** Queues {@code entry}; drops and counts it when the queue is full. Never blocks. */
    public void offer(Entry entry) {
        if (!queue.offer(entry)) {
            metrics.accessLogDropped();
        }
    }

    private void run() {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            while (true) {
                int written = 0;
                Entry e;
                while ((e = queue.poll()) != null) {
                    write(json, e);
                    written++;
                }
                if (written > 0) {
                    json.flush(); // once per batch: a burst costs one write(2)
                } else if (closed) {
                    return;
                } else {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
            }
        } catch (IOException e) {
            Log.warn("access log: cannot write (" + e.getMessage() + "); access logging stopped");
        }
    }

    static void write(JsonGenerator json, Entry e) throws IOException {
        json.writeStartObject();
        json.writeStringField("time", Instant.ofEpochMilli(e.epochMillis()).toString());
        json.writeStringField("route", e.route());
        json.writeStringField("method", e.method());
        json.writeStringField("path", e.path());
        json.writeNumberField("status", e.status());
        json.writeStringField("reason", e.reason());
        json.writeNumberField("duration_ms", e.durationNanos() / 1_000 / 1000.0);
        json.writeNumberField("bytes_in", e.bytesIn());
        json.writeNumberField("bytes_out", e.bytesOut());
        optional(json, "upstream", e.upstream());
        optional(json, "jwt.sub", e.sub());
        optional(json, "jwt.jti", e.jti());
        optional(json, "jwt.iss", e.iss());
        optional(json, "dpop.htm", e.htm());
        optional(json, "dpop.htu", e.htu());
        String traceId = TraceContext.traceId(e.traceparent());
        optional(json, "trace_id", traceId);
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static void optional(JsonGenerator json, String name, Object value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value.toString());
        }
    }

    /** Writes what is queued (bounded wait), then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closeOut) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing more to do at shutdown
            }
        }
    }
}
