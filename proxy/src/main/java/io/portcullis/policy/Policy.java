package io.portcullis.policy;

/**
 * A request-phase policy. Built once at load, shared by all event loops, so implementations are immutable;
 * per-request state lives in {@link RequestContext}. A policy never throws to reject and never blocks: it
 * returns {@link PolicyResult#CONTINUE} or a local reply.
 *
 * <p>The set of policies is closed in practice: {@link PolicyChain#of} is the only place that builds a chain
 * and fixes its order. The interface is not {@code sealed} because Java only allows sealed hierarchies to
 * span packages inside a named module, and each policy has its own sub-package (one job per package).
 */
public interface Policy {

    PolicyResult apply(RequestContext ctx);

    /**
     * Releases background resources (key set polls and fetches). Called once, off the event loops, when a
     * reload replaced the config this policy belongs to; requests still running on it may call {@link #apply}
     * afterwards and must get an answer (with the keys it last had).
     */
    default void close() {}
}
