package io.portcullis.config;

/** A size in bytes, written in YAML as an integer or with a binary suffix: {@code 32Ki}, {@code 1Mi}, {@code 2Gi}. */
public record ByteSize(long bytes) {}
