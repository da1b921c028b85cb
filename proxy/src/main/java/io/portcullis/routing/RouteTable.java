package io.portcullis.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The routes of one listener, first match in file order (the seeds' semantics; agentgateway itself ranks by
 * specificity). Routes and their matches are flattened into one array at load so a lookup is a single
 * allocation-free scan.
 */
public final class RouteTable {
    private final RouteEntry[] entries;

    public RouteTable(List<CompiledRoute> routes) {
        List<RouteEntry> flat = new ArrayList<>();
        for (CompiledRoute route : routes) {
            for (CompiledMatch match : route.matches()) {
                flat.add(new RouteEntry(route, match));
            }
        }
        this.entries = flat.toArray(new RouteEntry[0]);
    }

    /** The first entry whose route hostnames and match accept the request, or null. */
    public RouteEntry find(RequestView request) {
        for (RouteEntry entry : entries) {
            HostnameMatcher hostnames = entry.route().hostnames();
            if ((hostnames.matchesAny() || hostnames.matches(request.host())) && entry.match().matches(request)) {
                return entry;
            }
        }
        return null;
    }

    public int size() {
        return entries.length;
    }
}
