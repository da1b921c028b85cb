package io.portcullis.config.policy;

import java.util.List;
import java.util.Map;

/** {@code requestHeaderModifier} / {@code responseHeaderModifier}: {@code add}, {@code set} (name: value), {@code remove}. */
public record HeaderModifierConfig(Map<String, String> add, Map<String, String> set, List<String> remove) {}
