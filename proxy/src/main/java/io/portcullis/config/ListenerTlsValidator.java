package io.portcullis.config;

import io.portcullis.tls.ServerTlsCompiler;
import io.portcullis.tls.TlsFiles;
import java.util.List;

/**
 * Checks a listener's {@code tls}: certificate and key present and readable, versions 1.2 / 1.3 with min &lt;=
 * max, cipher suites the TLS provider knows, and finally that the files build a server context, with the same
 * code that serves them.
 */
final class ListenerTlsValidator {
    private static final String VERSIONS = "\"1.2\" or \"1.3\"";

    private final Reporter report;

    ListenerTlsValidator(Reporter report) {
        this.report = report;
    }

    void validate(ListenerTlsConfig tls) {
        boolean usable = report.required(tls, "cert", tls.cert(), "a PEM certificate chain file");
        usable &= report.required(tls, "key", tls.key(), "a PEM private key file");
        usable &= readable(tls, "cert", tls.cert()) & readable(tls, "key", tls.key())
                & readable(tls, "root", tls.root());
        usable &= version(tls, "minTLSVersion", tls.minTLSVersion()) & version(tls, "maxTLSVersion", tls.maxTLSVersion());
        if (usable && tls.minTLSVersion() != null && tls.maxTLSVersion() != null
                && tls.minTLSVersion().compareTo(tls.maxTLSVersion()) > 0) {
            report.error(tls, "maxTLSVersion", Scalars.quote(tls.maxTLSVersion()) + " is below minTLSVersion "
                    + Scalars.quote(tls.minTLSVersion()));
            usable = false;
        }
        usable &= cipherSuites(tls);
        if (usable) {
            String problem = ServerTlsCompiler.problem(tls);
            if (problem != null) {
                report.error(tls, problem);
            }
        }
    }

    private boolean readable(ListenerTlsConfig tls, String field, String file) {
        if (file == null) {
            return true;
        }
        String unreadable = TlsFiles.unreadable(file);
        if (unreadable != null) {
            report.error(tls, field, unreadable);
        }
        return unreadable == null;
    }

    private boolean version(ListenerTlsConfig tls, String field, String version) {
        if (version != null && ServerTlsCompiler.protocol(version) == null) {
            report.error(tls, field, Scalars.quote(version) + " (expected: " + VERSIONS + ")");
            return false;
        }
        return true;
    }

    private boolean cipherSuites(ListenerTlsConfig tls) {
        List<String> names = tls.cipherSuites();
        if (names == null) {
            return true;
        }
        if (names.isEmpty()) {
            report.error(tls, "cipherSuites", "empty (expected: cipher suite names, or no cipherSuites for the defaults)");
            return false;
        }
        List<String> unknown = ServerTlsCompiler.unknownCipherSuites(names);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) != null && unknown.contains(names.get(i))) {
                report.errorAt(SourceMap.element(report.path(tls, "cipherSuites"), i), Scalars.quote(names.get(i))
                        + " is not a cipher suite of this TLS provider (expected: an IANA name such as "
                        + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_AES_128_GCM_SHA256)");
            }
        }
        return unknown.isEmpty();
    }
}
