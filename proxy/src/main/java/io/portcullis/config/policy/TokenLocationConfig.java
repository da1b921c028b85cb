package io.portcullis.config.policy;

/**
 * Where a credential is read from: exactly one of a {@code header} (with an optional prefix such as
 * {@code "Bearer "}), a {@code queryParameter} or a {@code cookie} (for EventSource clients that cannot set
 * headers). Default: {@code Authorization} with the {@code Bearer } prefix.
 */
public record TokenLocationConfig(HeaderLocationConfig header, NamedLocationConfig queryParameter,
                                  NamedLocationConfig cookie) {

    public record HeaderLocationConfig(String name, String prefix) {}

    public record NamedLocationConfig(String name) {}
}
