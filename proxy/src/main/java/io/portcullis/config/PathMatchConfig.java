package io.portcullis.config;

/** Exactly one of {@code exact}, {@code pathPrefix}, {@code regex}. */
public record PathMatchConfig(String exact, String pathPrefix, String regex) {}
