package io.portcullis.upstream;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.portcullis.config.policy.BackendTlsConfig;
import io.portcullis.tls.TlsFiles;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the client TLS context of a route's {@code backendTLS} once, at load: BoringSSL (netty-tcnative) when
 * it loads, the JDK's TLS otherwise; TLS 1.2 and 1.3 only. The validator calls {@link #problem} with the same
 * code, so a missing or malformed CA file, certificate or key fails the load with its YAML path. With
 * {@code subjectAltNames} the listed names are checked instead of the host name
 * ({@link SubjectAltNameTrustManager}); with {@code alpn} those protocols are offered on the connections opened
 * for HTTP/1.1 (a backend that picks none is spoken to in HTTP/1.1, one that picks {@code h2} is served over
 * HTTP/2 from then on, see {@link UpstreamHandler}); without {@code alpn} nothing is offered there. The HTTP/2
 * context always offers {@code h2} alone.
 */
public final class BackendTlsCompiler {
    /** The ALPN protocols a backend connection can speak. */
    public static final String HTTP_1_1 = ApplicationProtocolNames.HTTP_1_1;
    public static final String HTTP_2 = ApplicationProtocolNames.HTTP_2;
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private BackendTlsCompiler() {}

    public static SslContext context(BackendTlsConfig config) throws SSLException {
        return context(config, false);
    }

    /**
     * {@code http2}: the context of HTTP/2 connections, which offers only {@code h2} by ALPN (a backend that
     * answers with another protocol cannot serve them).
     */
    public static SslContext context(BackendTlsConfig config, boolean http2) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(PROTOCOLS)
                // Netty 4.2 verifies the name by default; the hatch turns that off explicitly.
                .endpointIdentificationAlgorithm(verifiesHostname(config) ? "HTTPS" : null);
        if (Boolean.TRUE.equals(config.insecure())) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (config.subjectAltNames() != null) {
            builder.trustManager(subjectAltNames(config));
        } else if (config.root() != null) {
            builder.trustManager(new File(config.root()));
        }
        List<String> alpn = config.alpn();
        if (alpn != null && !alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        if (config.cert() != null) {
            builder.keyManager(new File(config.cert()), new File(config.key()));
        }
        if (http2) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) { // unreadable or malformed PEM
            throw new SSLException(e.getMessage(), e);
        }
    }

    private static SubjectAltNameTrustManager subjectAltNames(BackendTlsConfig config) throws SSLException {
        try {
            return SubjectAltNameTrustManager.create(config.root(), config.subjectAltNames());
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("root " + config.root() + ": " + e.getMessage(), e);
        }
    }

    /** What is wrong with the files of {@code config}, or null when a context can be built from them. */
    public static String problem(BackendTlsConfig config) {
        for (String file : new String[] {config.root(), config.cert(), config.key()}) {
            String unreadable = file == null ? null : TlsFiles.unreadable(file);
            if (unreadable != null) {
                return unreadable;
            }
        }
        try {
            context(config);
            return null;
        } catch (SSLException e) {
            return TlsFiles.unusable(e);
        }
    }

    /** The per-backend settings: SNI and verified name = {@code hostname}, else the backend's host. */
    public static UpstreamTls forBackend(SslContext context, SslContext http2Context, BackendTlsConfig config,
                                         String backendHost) {
        String name = config.hostname() != null ? config.hostname() : backendHost;
        String id = config.root() + "|" + config.cert() + "|" + name + "|" + config.insecure() + "|" + config.insecureHost()
                + "|" + config.alpn() + "|" + config.subjectAltNames();
        return new UpstreamTls(context, http2Context, name, id);
    }

    private static boolean verifiesHostname(BackendTlsConfig config) {
        return !Boolean.TRUE.equals(config.insecure()) && !Boolean.TRUE.equals(config.insecureHost())
                && config.subjectAltNames() == null;
    }
}
