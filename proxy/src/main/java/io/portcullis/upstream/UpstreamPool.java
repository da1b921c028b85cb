package io.portcullis.upstream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to backends, one pool per event loop. A downstream connection and the
 * upstream connections it uses live on the same event loop, so this pool is only ever touched by its own
 * thread: no locks, no volatile, no CAS on the hot path. Connections are reused most recent first (LIFO),
 * which keeps the working set small and lets the oldest ones age out; a taken connection is checked to be
 * still open and not past the idle timeout.
 *
 * <p>Idle expiry is done here, with a timestamp per pooled connection and one sweep task per event loop,
 * rather than with an {@code IdleStateHandler} on every connection: that handler adds a listener and two
 * clock reads to every write of a busy connection to serve a timeout that only matters while it idles.
 */
public final class UpstreamPool {
    private static final FastThreadLocal<UpstreamPool> POOLS = new FastThreadLocal<>() {
        @Override
        protected UpstreamPool initialValue() {
            return new UpstreamPool();
        }
    };

    /** A pooled connection (by its last handler) and when it went idle. */
    private static final class Idle {
        final UpstreamHandler handler;
        final Channel channel;
        final long since;
        final GaugeDataPoint gauge;

        Idle(UpstreamHandler handler, long since, GaugeDataPoint gauge) {
            this.handler = handler;
            this.channel = handler.channel();
            this.since = since;
            this.gauge = gauge;
            gauge.inc();
        }

        /** Leaves the pool (taken, expired or closed). */
        Idle removed() {
            gauge.dec();
            return this;
        }
    }

    // Keyed by Backend.poolKey() ("host:port", plus the TLS settings) so that pools survive a reload that
    // rebuilds Backend objects for the same target.
    private final Map<String, ArrayDeque<Idle>> idle = new HashMap<>();
    private boolean sweeping;

    private UpstreamPool() {}

    /** The pool of the calling event loop thread. */
    public static UpstreamPool current() {
        return POOLS.get();
    }

    /** An open idle connection to {@code backend} that idled less than {@code idleTimeoutNanos}, or null. */
    public UpstreamHandler acquire(Backend backend, long idleTimeoutNanos) {
        ArrayDeque<Idle> deque = idle.get(backend.poolKey());
        if (deque == null) {
            return null;
        }
        long now = System.nanoTime();
        Idle entry;
        while ((entry = deque.pollLast()) != null) {
            entry.removed();
            if (entry.channel.isActive() && now - entry.since < idleTimeoutNanos) {
                return entry.handler;
            }
            entry.channel.close();
        }
        return null;
    }

    /**
     * Returns a reusable connection; closes it instead when the backend already has {@code maxIdle} idle
     * ones. Starts the idle sweep of this event loop on first use. {@code idleGauge} counts the backend's
     * pooled connections ({@code upstream_pool_idle_connections}).
     */
    public void release(Backend backend, UpstreamHandler handler, int maxIdle, long idleTimeoutNanos,
                        GaugeDataPoint idleGauge) {
        ArrayDeque<Idle> deque = idle.computeIfAbsent(backend.poolKey(), k -> new ArrayDeque<>());
        if (deque.size() >= maxIdle) {
            handler.channel().close();
            return;
        }
        deque.addLast(new Idle(handler, System.nanoTime(), idleGauge));
        if (!sweeping) {
            sweeping = true;
            scheduleSweep(handler.channel().eventLoop(), idleTimeoutNanos);
        }
    }

    private void scheduleSweep(EventLoop loop, long idleTimeoutNanos) {
        loop.schedule(() -> {
            sweep(idleTimeoutNanos);
            scheduleSweep(loop, idleTimeoutNanos);
        }, Math.max(idleTimeoutNanos / 2, 1_000_000L), TimeUnit.NANOSECONDS);
    }

    /** Closes connections that idled for {@code idleTimeoutNanos} or more (oldest are at the head). */
    void sweep(long idleTimeoutNanos) {
        long now = System.nanoTime();
        for (ArrayDeque<Idle> deque : idle.values()) {
            Idle entry;
            while ((entry = deque.peekFirst()) != null && now - entry.since >= idleTimeoutNanos) {
                deque.pollFirst().removed();
                entry.channel.close();
            }
        }
    }

    /** Drops a connection that closed while idle. */
    public void remove(Backend backend, UpstreamHandler handler) {
        ArrayDeque<Idle> deque = idle.get(backend.poolKey());
        if (deque != null) {
            for (Iterator<Idle> it = deque.iterator(); it.hasNext(); ) {
                Idle entry = it.next();
                if (entry.handler == handler) {
                    it.remove();
                    entry.removed();
                    return;
                }
            }
        }
    }

    /** Idle connections held for {@code backend} (for tests and gauges). */
    public int idleCount(Backend backend) {
        ArrayDeque<Idle> deque = idle.get(backend.poolKey());
        return deque == null ? 0 : deque.size();
    }
}
