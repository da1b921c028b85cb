package io.portcullis.config;

import java.util.List;

/** {@code binds[]}: one listening port. Extension {@code address} (default all interfaces). */
public record BindConfig(Integer port, String address, List<ListenerConfig> listeners) {}
