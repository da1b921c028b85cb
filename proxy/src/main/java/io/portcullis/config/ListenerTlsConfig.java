package io.portcullis.config;

import java.util.List;

/**
 * {@code binds[].listeners[].tls}, agentgateway's fields: the server certificate chain {@code cert} and its
 * private {@code key} (PEM files), an optional {@code root} CA bundle that makes client certificates required
 * and verified against it (mutual TLS), the TLS versions allowed ({@code minTLSVersion} /
 * {@code maxTLSVersion}: {@code "1.2"} or {@code "1.3"}, default both) and {@code cipherSuites} (IANA names such
 * as {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}; rustls' {@code TLS13_} spelling is accepted too; default the
 * provider's secure set). The files are watched and reloaded when they change.
 *
 * <pre>
 * listeners:
 * - protocol: HTTPS
 *   hostname: api.example.com
 *   tls: {cert: /etc/portcullis/tls.crt, key: /etc/portcullis/tls.key, minTLSVersion: "1.3"}
 * </pre>
 */
public record ListenerTlsConfig(String cert, String key, String root, String minTLSVersion, String maxTLSVersion,
                                List<String> cipherSuites) {}
