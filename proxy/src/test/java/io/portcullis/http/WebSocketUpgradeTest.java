package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** Which requests are WebSocket handshakes (tunnelled on a 101) and which are served as plain HTTP. */
class WebSocketUpgradeTest {
    private static HttpRequest request(HttpMethod method, HttpVersion version, String... headers) {
        HttpRequest r = new DefaultHttpRequest(version, method, "/ws");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void aGetWithUpgradeWebsocketAndConnectionUpgradeIsAHandshake() {
        assertThat(WebSocketUpgrade.isRequest(request(HttpMethod.GET, HttpVersion.HTTP_1_1,
                "Upgrade", "WebSocket", "Connection", "keep-alive, Upgrade"))).isTrue();
    }

    @Test
    void otherUpgradesMethodsVersionsAndBodiesAreNot() {
        assertThat(WebSocketUpgrade.isRequest(request(HttpMethod.GET, HttpVersion.HTTP_1_1,
                "Upgrade", "h2c", "Connection", "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequest(request(HttpMethod.GET, HttpVersion.HTTP_1_1,
                "Upgrade", "websocket"))).as("Connection does not name it").isFalse();
        assertThat(WebSocketUpgrade.isRequest(request(HttpMethod.POST, HttpVersion.HTTP_1_1,
                "Upgrade", "websocket", "Connection", "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequest(request(HttpMethod.GET, HttpVersion.HTTP_1_0,
                "Upgrade", "websocket", "Connection", "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequest(request(HttpMethod.GET, HttpVersion.HTTP_1_1,
                "Upgrade", "websocket", "Connection", "Upgrade", "Content-Length", "5"))).isFalse();
        assertThat(WebSocketUpgrade.isRequest(request(HttpMethod.GET, HttpVersion.HTTP_1_1,
                "Upgrade", "websocket", "Connection", "Upgrade", "Transfer-Encoding", "chunked"))).isFalse();
    }
}
