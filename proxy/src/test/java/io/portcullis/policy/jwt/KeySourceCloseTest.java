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
