package io.portcullis.config;

/** {@code routes[].backends[]}: {@code host: "host:port"} and a relative {@code weight} (default 1). */
public record BackendConfig(String host, Integer weight) {}
