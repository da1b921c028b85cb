package io.portcullis.config.policy;

/** Exactly one of {@code full} (host[:port]), {@code host} (keep the port), {@code port} (keep the host). */
public record AuthorityRewriteConfig(String full, String host, Integer port) {}
