package io.portcullis.config;

/** Listener protocols: {@code HTTP} (the default) is plain HTTP/1.1, {@code HTTPS} is HTTP/1.1 over TLS. */
public enum ListenerProtocol {
    HTTP,
    HTTPS
}
