package io.portcullis.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the listener of a bind for a request host: exact hostnames first, then wildcards (more specific
 * first), then the listener without hostname.
 */
public final class ListenerTable {
    private final CompiledListener[] ordered;

    public ListenerTable(List<CompiledListener> listeners) {
        List<CompiledListener> sorted = new ArrayList<>(listeners);
        sorted.sort(Comparator.comparingInt(ListenerTable::rank));
        this.ordered = sorted.toArray(new CompiledListener[0]);
    }

    private static int rank(CompiledListener l) {
        if (l.hostname().matchesAny()) {
            return 2;
        }
        return l.hostname().isExactOnly() ? 0 : 1;
    }

    /** The listener for this request's host, or null when none accepts it. */
    public CompiledListener select(RequestView request) {
        for (CompiledListener l : ordered) {
            if (l.hostname().matchesAny() || l.hostname().matches(request.host())) {
                return l;
            }
        }
        return null;
    }
}
