package io.portcullis.policy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.portcullis.CompiledGateway;
import io.portcullis.GatewayCompiler;
import io.portcullis.config.ConfigLoader;
import io.portcullis.testing.JwtTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A config replaced by a reload stops its key sets' background work: no more file polls, no more fetches. */
class KeySourceCloseTest {
    private static String jwks;

    @BeforeAll
    static void keys() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        jwks = JwtTools.jwks(List.of(JwtTools.jwk(JwtTools.rsa(dir, "k1", 2048), "k1", "RS256")));
    }

    @Test
    void aClosedFileSourceStopsPolling() throws Exception {
        Path file = Files.createTempFile("jwks", ".json");
        try {
            Files.writeString(file, jwks);
            FileKeySource source = FileKeySource.load(file);
            assertThat(source.polling()).isTrue();
            source.close();
            assertThat(source.polling()).isFalse();
            assertThat(source.current().size()).isEqualTo(1); // still answers requests that hold it
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aReloadStopsThePollsOfReplacedRoutesOnlyAndAStopStopsTheRest() throws Exception {
        Path file = Files.createTempFile("jwks", ".json");
        try {
            Files.writeString(file, jwks);
            String yaml = """
                    binds:
                    - port: 0
                      listeners:
                      - routes:
                        - name: kept
                          matches: [{path: {pathPrefix: /kept}}]
                          policies: {jwtAuth: {issuer: me, audiences: [gw], jwks: {file: %1$s}}}
                          backends: [{host: 127.0.0.1:9}]
                        - name: changed
                          policies: {jwtAuth: {issuer: me, audiences: [%2$s], jwks: {file: %1$s}}}
                          backends: [{host: 127.0.0.1:9}]
                    """;
            int idle = Background.SCHEDULER.getQueue().size();
            CompiledGateway first = GatewayCompiler.compile(ConfigLoader.parse(yaml.formatted(file, "one"), "t", k -> null));
            assertThat(Background.SCHEDULER.getQueue()).hasSize(idle + 2);

            CompiledGateway second = GatewayCompiler.compile(ConfigLoader.parse(yaml.formatted(file, "two"), "t", k -> null), first);
            assertThat(Background.SCHEDULER.getQueue()).as("only the changed route was rebuilt").hasSize(idle + 3);
            first.closeReplacedBy(second);
            assertThat(Background.SCHEDULER.getQueue()).as("the replaced route's poll stopped").hasSize(idle + 2);
            second.close();
            assertThat(Background.SCHEDULER.getQueue()).hasSize(idle);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aClosedRemoteSourceFetchesNoMore() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
            RemoteKeySource open = RemoteKeySource.start(url);
            open.refetch().get(10, TimeUnit.SECONDS); // joins the start fetch
            open.refetch().get(10, TimeUnit.SECONDS); // an unknown kid: one more fetch after MIN_REFETCH
            assertThat(fetches.get()).isEqualTo(2);

            open.close();
            open.refetch().get(10, TimeUnit.SECONDS); // an unknown kid after the reload: nothing is fetched
            assertThat(fetches.get()).isEqualTo(2);
        } finally {
            server.stop(0);
        }
    }
}
