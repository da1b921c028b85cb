package io.portcullis.config;

import io.portcullis.config.policy.BackendTlsConfig;
import io.portcullis.upstream.BackendTlsCompiler;
import java.util.List;

/**
 * Checks {@code backendTLS}: a client certificate comes with its key, the escape hatches are not combined with
 * what they would silence, ALPN offers only what the gateway can speak to a backend (h2, http/1.1), subject alternative
 * names are names, and the files build a TLS context now.
 */
final class BackendTlsValidator {
    private final Reporter report;

    BackendTlsValidator(Reporter report) {
        this.report = report;
    }

    void validate(BackendTlsConfig tls) {
        if ((tls.cert() == null) != (tls.key() == null)) {
            report.error(tls, "set both `cert` and `key` for a client certificate, or neither");
            return;
        }
        if (Boolean.TRUE.equals(tls.insecure()) && tls.root() != null) {
            report.error(tls, "`insecure: true` skips the trust check, so `root` would be ignored; set one of them");
            return;
        }
        if (tls.subjectAltNames() != null && (Boolean.TRUE.equals(tls.insecure()) || Boolean.TRUE.equals(tls.insecureHost()))) {
            report.error(tls, "`insecure` / `insecureHost` skip the name check, so `subjectAltNames` would be ignored; "
                    + "set one of them");
            return;
        }
        if (tls.hostname() != null && !Syntax.isHostname(tls.hostname())) {
            report.error(tls, "hostname", Scalars.quote(tls.hostname()) + " (expected: a host name)");
        }
        boolean namesValid = alpn(tls) & subjectAltNames(tls);
        if (!namesValid) {
            return;
        }
        String problem = BackendTlsCompiler.problem(tls);
        if (problem != null) {
            report.error(tls, problem);
        }
    }

    private boolean alpn(BackendTlsConfig tls) {
        List<String> alpn = tls.alpn();
        boolean valid = true;
        for (int i = 0; alpn != null && i < alpn.size(); i++) {
            String protocol = alpn.get(i);
            if (!BackendTlsCompiler.HTTP_1_1.equals(protocol) && !BackendTlsCompiler.HTTP_2.equals(protocol)) {
                element(tls, "alpn", i, Scalars.quote(protocol) + " (expected: h2 or http/1.1)");
                valid = false;
            }
        }
        return valid;
    }

    private boolean subjectAltNames(BackendTlsConfig tls) {
        List<String> names = tls.subjectAltNames();
        if (names == null) {
            return true;
        }
        if (names.isEmpty()) {
            report.error(tls, "subjectAltNames", "empty (expected: at least one name the certificate must carry)");
            return false;
        }
        boolean valid = true;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || !(Syntax.isHostname(name) || Syntax.isIp(name) || isUri(name))) {
                element(tls, "subjectAltNames", i, Scalars.quote(name)
                        + " (expected: a DNS name, an IP address or a URI such as spiffe://trust.domain/ns/app/sa/name)");
                valid = false;
            }
        }
        return valid;
    }

    private void element(BackendTlsConfig tls, String field, int index, String message) {
        report.errorAt(SourceMap.element(report.path(tls, field), index), message);
    }

    private static boolean isUri(String name) {
        int scheme = name.indexOf("://");
        return scheme > 0 && scheme + 3 < name.length() && name.chars().noneMatch(c -> c <= ' ' || c >= 0x7f);
    }
}
