package io.portcullis.config;

/** {@code config.logging}: {@code level} (error, warn, info, debug) and {@code format} (text, json). */
public record LoggingConfig(String level, String format) {}
