package io.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.TestBackend;
import io.portcullis.testing.TestCa;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS connection opened for HTTP/1.1 with a context that offers h2 too (a {@code backendTLS} ALPN list): when the
 * backend picks h2, the connection is given up and the backend is served over HTTP/2 from then on; when it picks
 * http/1.1, the connection is kept.
 */
class AlpnChoiceIT {
    @TempDir
    static Path dir;
    static TestCa ca;
    static EventLoopGroup group;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.create(dir);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static ApplicationProtocolConfig alpn(String... protocols) {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols);
    }

    /** Connects the HTTP/1.1 way, offering h2 and http/1.1; returns the backend after the connection settled. */
    private static Backend connect(TestBackend server) throws Exception {
        SslContext offersBoth = SslContextBuilder.forClient().trustManager(ca.ca().toFile())
                .applicationProtocolConfig(alpn(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)).build();
        Backend backend = new Backend("127.0.0.1", server.port(), 1, new UpstreamTls(offersBoth, offersBoth, "localhost", "t"));
        UpstreamConnector connector = new UpstreamConnector(NioSocketChannel.class, DefaultAddressResolverGroup.INSTANCE,
                new UpstreamSettings(5_000, 60_000, 4, 64 * 1024), new io.portcullis.observability.Metrics("test"),
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
        Channel ch = connector.connect(group.next(), backend).sync().channel();
        // The handshake result decides; wait for it to close the connection or give it time.
        ch.closeFuture().await(3, TimeUnit.SECONDS);
        if (ch.isActive()) {
            ch.close().sync();
        } else {
            assertThat(backend.usesHttp2(false)).isTrue();
        }
        return backend;
    }

    private static SslContext server(String... protocols) throws Exception {
        return SslContextBuilder.forServer(ca.cert().toFile(), ca.key().toFile()).applicationProtocolConfig(alpn(protocols)).build();
    }

    @Test
    void backendPickingH2IsServedOverHttp2FromThenOn() throws Exception {
        TestBackend h2 = TestBackend.http2(server(ApplicationProtocolNames.HTTP_2), 0);
        try {
            assertThat(connect(h2).usesHttp2(false)).isTrue();
        } finally {
            Closeables.closeAll(h2);
        }
    }

    @Test
    void backendPickingHttp11KeepsTheConnection() throws Exception {
        TestBackend h1 = TestBackend.tls(server(ApplicationProtocolNames.HTTP_1_1));
        try {
            assertThat(connect(h1).usesHttp2(false)).isFalse();
        } finally {
            Closeables.closeAll(h1);
        }
    }
}
