package io.portcullis.config;

/** A header or query-parameter match: {@code name} and a {@code value} matcher. */
public record HeaderMatchConfig(String name, ValueMatchConfig value) {}
