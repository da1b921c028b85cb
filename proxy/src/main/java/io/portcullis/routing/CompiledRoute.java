package io.portcullis.routing;

import io.portcullis.policy.PolicyChain;
import io.portcullis.policy.headers.HeaderModifier;
import io.portcullis.upstream.BackendGroup;
import java.util.List;

/**
 * A route compiled at load: its matchers, its request policy chain, its backends and the per-route
 * forwarding settings. Immutable and shared by every event loop.
 */
public final class CompiledRoute {
    private final String name;
    private final HostnameMatcher hostnames;
    private final List<CompiledMatch> matches;
    private final PolicyChain policies;
    private final HeaderModifier responseHeaders;
    private final BackendGroup backends;
    private final ForwardSettings forward;

    public CompiledRoute(String name, HostnameMatcher hostnames, List<CompiledMatch> matches, PolicyChain policies,
                         HeaderModifier responseHeaders, BackendGroup backends, ForwardSettings forward) {
        this.name = name;
        this.hostnames = hostnames;
        this.matches = List.copyOf(matches);
        this.policies = policies;
        this.responseHeaders = responseHeaders;
        this.backends = backends;
        this.forward = forward;
    }

    /** Route name for logs and metrics ({@code route-N} when unnamed). */
    public String name() {
        return name;
    }

    public HostnameMatcher hostnames() {
        return hostnames;
    }

    public List<CompiledMatch> matches() {
        return matches;
    }

    public PolicyChain policies() {
        return policies;
    }

    /** Response header modifier, or null. */
    public HeaderModifier responseHeaders() {
        return responseHeaders;
    }

    /** Backends, or null for a route answered by a local-reply policy. */
    public BackendGroup backends() {
        return backends;
    }

    public ForwardSettings forward() {
        return forward;
    }

    /** Stops the background work of this route's policies; called when a reload dropped or replaced the route. */
    public void close() {
        policies.close();
    }
}
