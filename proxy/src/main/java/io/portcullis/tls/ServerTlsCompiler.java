package io.portcullis.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.portcullis.config.ListenerTlsConfig;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the server TLS context of a listener's {@code tls}: BoringSSL (netty-tcnative) when it loads, the
 * JDK's TLS otherwise; TLS 1.2 and 1.3 only; ALPN offers {@code h2} then {@code http/1.1} (the frontend tells the
 * two apart by the HTTP/2 connection preface, so a client without ALPN works either way); with {@code root}, a client certificate
 * signed by it is required. The validator ({@link #problem}), the compiler and the certificate reloader all
 * call {@link #context}, so a file that loads at startup loads the same way on rotation.
 */
public final class ServerTlsCompiler {
    private static final ApplicationProtocolConfig H2_AND_HTTP_1_1 = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            // Both behaviours are the ones BoringSSL and the JDK support alike.
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private ServerTlsCompiler() {}

    /** The TLS implementation in use, for the startup log. */
    public static String providerName() {
        return OpenSsl.isAvailable() ? OpenSsl.versionString() + " (netty-tcnative)"
                : "the JDK (" + System.getProperty("java.vendor") + " " + System.getProperty("java.version") + ")";
    }

    /** Builds the context, after proving with a test handshake that the key belongs to the certificate. */
    public static SslContext context(ListenerTlsConfig config) throws SSLException {
        KeyMatchCheck.handshake(build(new ListenerTlsConfig(config.cert(), config.key(), null, null, null, null)));
        return build(config);
    }

    private static SslContext build(ListenerTlsConfig config) throws SSLException {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(new File(config.cert()), new File(config.key()))
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols(protocols(config))
                    .applicationProtocolConfig(H2_AND_HTTP_1_1);
            if (config.root() != null) {
                builder.trustManager(new File(config.root())).clientAuth(ClientAuth.REQUIRE);
            }
            if (config.cipherSuites() != null) {
                builder.ciphers(cipherSuites(config), SupportedCipherSuiteFilter.INSTANCE);
            }
            return builder.build();
        } catch (IllegalArgumentException e) { // unreadable or malformed PEM, key not matching
            throw new SSLException(e.getMessage(), e);
        }
    }

    /**
     * What is wrong with the files of {@code config}, or null when a context can be built from them. Versions
     * and cipher names are checked by the validator first, with their own paths.
     */
    public static String problem(ListenerTlsConfig config) {
        try {
            context(config);
            return null;
        } catch (SSLException e) {
            return TlsFiles.unusable(e);
        }
    }

    /** {@code "1.2"} → {@code TLSv1.2}, {@code "1.3"} → {@code TLSv1.3}, anything else → null. */
    public static String protocol(String version) {
        return switch (version) {
            case "1.2" -> "TLSv1.2";
            case "1.3" -> "TLSv1.3";
            default -> null;
        };
    }

    /** The requested cipher suite names the provider does not know (IANA names, or rustls' TLS13_ form). */
    public static List<String> unknownCipherSuites(List<String> names) {
        List<String> unknown = new ArrayList<>();
        List<String> supported = supportedCipherSuites();
        for (String name : names) {
            if (name != null && !supported.contains(ianaName(name))) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    private static List<String> supportedCipherSuites() {
        if (OpenSsl.isAvailable()) {
            return List.copyOf(OpenSsl.availableJavaCipherSuites());
        }
        try {
            return List.of(javax.net.ssl.SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    private static String[] protocols(ListenerTlsConfig config) {
        String min = config.minTLSVersion() == null ? "1.2" : config.minTLSVersion();
        String max = config.maxTLSVersion() == null ? "1.3" : config.maxTLSVersion();
        List<String> protocols = new ArrayList<>();
        for (String v : new String[] {"1.3", "1.2"}) {
            if (v.compareTo(min) >= 0 && v.compareTo(max) <= 0) {
                protocols.add(protocol(v));
            }
        }
        return protocols.toArray(new String[0]);
    }

    private static List<String> cipherSuites(ListenerTlsConfig config) {
        List<String> names = new ArrayList<>();
        for (String name : config.cipherSuites()) {
            names.add(ianaName(name));
        }
        return names;
    }

    /** rustls (agentgateway) names the TLS 1.3 suites {@code TLS13_AES_128_GCM_SHA256}; IANA drops the 13. */
    private static String ianaName(String name) {
        return name.startsWith("TLS13_") ? "TLS_" + name.substring("TLS13_".length()) : name;
    }
}
