package io.portcullis.upstream;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code backendTLS.subjectAltNames}: the backend's chain is verified against the roots as usual (the JDK's
 * PKIX validation), and then, instead of the host name, the certificate must carry one of the listed names
 * among its subject alternative names: a DNS name (the certificate's may be a {@code *.} wildcard for one
 * leftmost label, RFC 6125 section 6.4.3), an IP address (compared as bytes), or a URI compared exactly (a
 * SPIFFE ID). The common name is never used, as in agentgateway's verifier.
 */
final class SubjectAltNameTrustManager extends X509ExtendedTrustManager {
    private static final int DNS = 2;
    private static final int URI = 6;
    private static final int IP = 7;

    private final X509TrustManager roots;
    private final List<String> names;

    SubjectAltNameTrustManager(X509TrustManager roots, List<String> names) {
        this.roots = roots;
        this.names = List.copyOf(names);
    }

    /** Over the certificates of the PEM file {@code rootFile}, or the JDK's trust store when it is null. */
    static SubjectAltNameTrustManager create(String rootFile, List<String> names) throws GeneralSecurityException, IOException {
        KeyStore store = null;
        if (rootFile != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(rootFile))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("root-" + i++, c);
                }
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager) {
                return new SubjectAltNameTrustManager((X509TrustManager) tm, names);
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        roots.checkServerTrusted(chain, authType); // trust only: no endpoint identification here
        if (!matchesAny(chain[0])) {
            throw new CertificateException("No subject alternative name of the backend certificate is one of "
                    + "backendTLS.subjectAltNames");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    private boolean matchesAny(X509Certificate cert) throws CertificateParsingException {
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans == null) {
            return false;
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            if (!(san.get(1) instanceof String)) {
                continue;
            }
            String value = (String) san.get(1);
            for (String name : names) {
                if (matches(type, value, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean matches(int type, String certName, String wanted) {
        switch (type) {
            case URI:
                return certName.equals(wanted);
            case IP: {
                byte[] want = NetUtil.createByteArrayFromIpAddressString(wanted);
                return want != null && Arrays.equals(want, NetUtil.createByteArrayFromIpAddressString(certName));
            }
            case DNS: // a URI is only ever compared with URI names
                return !wanted.contains("://") && dnsMatches(certName.toLowerCase(Locale.ROOT), wanted.toLowerCase(Locale.ROOT));
            default:
                return false;
        }
    }

    /** {@code pattern} from the certificate: exact, or {@code *.rest} standing for exactly one more label. */
    private static boolean dnsMatches(String pattern, String name) {
        if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
            return false;
        }
        if (!pattern.startsWith("*.")) {
            return pattern.equals(name);
        }
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot).equals(pattern.substring(1)) && pattern.indexOf('.', 2) > 0;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("backend TLS verifies servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return roots.getAcceptedIssuers();
    }
}
