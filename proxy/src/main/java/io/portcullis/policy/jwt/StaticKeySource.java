package io.portcullis.policy.jwt;

import java.util.concurrent.CompletableFuture;

/** An inline key set: fixed for the life of the configuration. */
final class StaticKeySource implements KeySource {
    private final KeySet keys;

    StaticKeySource(KeySet keys) {
        this.keys = keys;
    }

    @Override
    public KeySet current() {
        return keys;
    }

    @Override
    public CompletableFuture<Void> refetch() {
        return null;
    }
}
