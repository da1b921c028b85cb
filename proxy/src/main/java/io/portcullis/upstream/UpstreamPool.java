package io.portcullis.upstream;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle keep-alive connections to backends, one pool per event loop. A downstream connection and the
 * upstream connections it uses live on the same event loop, so this pool is only ever touched by its own
 * thread: no locks, no volatile, no CAS on the hot path. Connections are reused most recent first (LIFO),
 * which keeps the working set small and lets the oldest ones age out through the idle timeout; a taken
 * connection is checked to be still open.
 */
public final class UpstreamPool {
    private static final FastThreadLocal<UpstreamPool> POOLS = new FastThreadLocal<>() {
        @Override
        protected UpstreamPool initialValue() {
            return new UpstreamPool();
        }
    };

    // Keyed by "host:port" so that pools survive a reload that rebuilds Backend objects for the same target.
    private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();

    private UpstreamPool() {}

    /** The pool of the calling event loop thread. */
    public static UpstreamPool current() {
        return POOLS.get();
    }

    /** An open idle connection to {@code backend}, or null. */
    public Channel acquire(Backend backend) {
        ArrayDeque<Channel> deque = idle.get(backend.authority());
        if (deque == null) {
            return null;
        }
        Channel ch;
        while ((ch = deque.pollLast()) != null) {
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    /** Returns a reusable connection; closes it instead when the backend already has {@code maxIdle} idle ones. */
    public void release(Backend backend, Channel ch, int maxIdle) {
        ArrayDeque<Channel> deque = idle.computeIfAbsent(backend.authority(), k -> new ArrayDeque<>());
        if (deque.size() >= maxIdle) {
            ch.close();
            return;
        }
        deque.addLast(ch);
    }

    /** Drops a connection that closed while idle. */
    public void remove(Backend backend, Channel ch) {
        ArrayDeque<Channel> deque = idle.get(backend.authority());
        if (deque != null) {
            deque.remove(ch);
        }
    }

    /** Idle connections held for {@code backend} (for tests and gauges). */
    public int idleCount(Backend backend) {
        ArrayDeque<Channel> deque = idle.get(backend.authority());
        return deque == null ? 0 : deque.size();
    }
}
