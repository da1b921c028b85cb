package io.portcullis.config;

import java.util.List;

/** {@code binds[].listeners[]}: chosen by {@code hostname} (exact or {@code *.suffix}); absent = any host. */
public record ListenerConfig(String name, String hostname, ListenerProtocol protocol, List<RouteConfig> routes) {}
