package io.portcullis.config;

import java.util.List;

/**
 * {@code binds[].listeners[]}: chosen by {@code hostname} (exact or {@code *.suffix}); absent = any host. An
 * {@code HTTPS} listener terminates TLS with its {@code tls} certificate, chosen by SNI with the same hostname.
 */
public record ListenerConfig(String name, String hostname, ListenerProtocol protocol, ListenerTlsConfig tls,
                             List<RouteConfig> routes) {}
