package io.portcullis.server;

/** User event sent to every client connection when the gateway starts draining. */
public enum DrainEvent {
    INSTANCE
}
