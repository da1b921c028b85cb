package io.portcullis.config.policy;

/** {@code directResponse}: answer locally with {@code status} (required) and an optional {@code body}. */
public record DirectResponseConfig(String body, Integer status) {}
