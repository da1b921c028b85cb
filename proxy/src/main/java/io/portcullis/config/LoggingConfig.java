package io.portcullis.config;

/**
 * {@code config.logging}: {@code level} (error, warn, info, debug) and {@code format} (text, json), as
 * agentgateway; extension {@code accessLog}: where the JSON access log goes ({@code stdout}, the default,
 * {@code stderr}, a file path, or {@code off}).
 */
public record LoggingConfig(String level, String format, String accessLog) {}
