package io.portcullis.policy.jwt;

import java.util.concurrent.CompletableFuture;

/** Where a provider's keys come from. {@link #current()} is a volatile read: safe and cheap on an event loop. */
interface KeySource {

    KeySet current();

    /**
     * A token named a {@code kid} this source does not have: fetch the key set again, if this source can and
     * did not just do so. Returns the fetch to wait for, or null when there is nothing to wait for (the
     * caller then refuses the token as signed by an unknown key).
     */
    CompletableFuture<Void> refetch();

    /** Stops background refreshes; called once when the config that built this source is replaced. */
    default void close() {}
}
