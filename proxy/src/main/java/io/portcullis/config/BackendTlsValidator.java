package io.portcullis.config;

import io.portcullis.config.policy.BackendTlsConfig;
import io.portcullis.upstream.BackendTlsCompiler;

/** Checks {@code backendTLS}: a client certificate comes with its key, the files build a TLS context now. */
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
        if (tls.hostname() != null && !Syntax.isHostname(tls.hostname())) {
            report.error(tls, "hostname", Scalars.quote(tls.hostname()) + " (expected: a host name)");
        }
        String problem = BackendTlsCompiler.problem(tls);
        if (problem != null) {
            report.error(tls, problem);
        }
    }
}
