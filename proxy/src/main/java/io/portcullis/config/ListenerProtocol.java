package io.portcullis.config;

/** Listener protocols. {@code HTTPS} is recognised but rejected at load until TLS lands. */
public enum ListenerProtocol {
    HTTP,
    HTTPS
}
