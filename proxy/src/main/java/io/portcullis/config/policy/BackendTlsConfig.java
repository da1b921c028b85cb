package io.portcullis.config.policy;

import java.util.List;

/**
 * {@code backendTLS}, agentgateway's fields: {@code root} CA bundle that must have signed the backend's
 * certificate (default: the JDK's trust store), optional client {@code cert} / {@code key} (PEM) for mutual
 * TLS, the {@code hostname} used for SNI and verification (default: the backend's host), and the two escape
 * hatches {@code insecure} (no trust check) and {@code insecureHost} (no hostname check); {@code alpn}, the
 * protocols offered by ALPN ({@code h2} and {@code http/1.1}), and
 * {@code subjectAltNames}, names (DNS, IP or URI such as {@code spiffe://...}) of which the certificate must
 * carry one, checked instead of the hostname.
 */
public record BackendTlsConfig(String root, String cert, String key, String hostname, Boolean insecure,
                               Boolean insecureHost, List<String> alpn, List<String> subjectAltNames) {}
