package io.portcullis.config.policy;

/** Exactly one of {@code full} (replace the whole path) and {@code prefix} (replace the matched path prefix). */
public record PathRewriteConfig(String full, String prefix) {}
