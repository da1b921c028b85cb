package io.portcullis.upstream;

import io.portcullis.http.ProxyError;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Tells why a TLS connection to a backend failed, so the 502 says which: the certificate is not trusted by the
 * configured roots, it does not name the backend, or the handshake failed otherwise (protocol, cipher, the
 * backend speaking plain HTTP). BoringSSL and the JDK report these differently; both are recognised by the
 * exception types and the texts of the cause chain.
 */
public final class UpstreamTlsFailures {
    private UpstreamTlsFailures() {}

    /** The error for {@code cause}, or null when it is not a TLS failure. */
    public static ProxyError classify(Throwable cause) {
        boolean tls = false;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("subject alternative") || message.contains("no name matching")
                    || message.contains("hostname") || message.contains("doesn't match")) {
                return ProxyError.UPSTREAM_CERT_NAME_MISMATCH;
            }
            if (t instanceof CertPathValidatorException || message.contains("pkix")
                    || message.contains("certification path") || message.contains("certificate_verify_failed")
                    || message.contains("unable to find valid")) {
                return ProxyError.UPSTREAM_CERT_UNTRUSTED;
            }
            tls |= t instanceof SSLException || t instanceof CertificateException;
        }
        return tls ? ProxyError.UPSTREAM_TLS_FAILED : null;
    }
}
