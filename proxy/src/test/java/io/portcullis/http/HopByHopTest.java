package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopTest {
    @Test
    void removesStandardHopByHopHeadersAndThoseNamedInConnection() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Foo ,x-bar")
                .add("Connection", "Close")
                .add("X-Foo", "1").add("x-bar", "2").add("X-Keep", "3")
                .add("Keep-Alive", "timeout=5").add("Upgrade", "websocket").add("TE", "trailers")
                .add("Proxy-Authorization", "secret").add("Content-Length", "0");
        HopByHop.strip(h);
        assertThat(h.names()).containsExactlyInAnyOrder("X-Keep", "Content-Length");
    }
}
