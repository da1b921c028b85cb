package io.portcullis.config;

/** {@code config.metrics}: extension {@code prefix} for metric names (default {@code portcullis}). */
public record MetricsConfig(String prefix) {}
