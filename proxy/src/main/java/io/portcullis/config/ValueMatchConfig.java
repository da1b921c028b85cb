package io.portcullis.config;

/** Exactly one of {@code exact} and {@code regex}. */
public record ValueMatchConfig(String exact, String regex) {}
