package io.portcullis;

/**
 * Told about every config reload attempt, on the reloader's thread (never an event loop), e.g. to count them
 * as metrics. {@link ConfigReloader#succeeded()} and {@link ConfigReloader#failed()} hold the same totals.
 */
public interface ReloadListener {

    /** A new config was compiled and is now served. */
    default void reloadSucceeded() {}

    /** A new config was refused (invalid, or a new port could not be opened); the previous one still serves. */
    default void reloadFailed() {}
}
