package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
    static HttpResponse response(HttpVersion v, String connection) {
        HttpResponse r = new DefaultHttpResponse(v, HttpResponseStatus.OK);
        if (connection != null) {
            r.headers().set("connection", connection);
        }
        return r;
    }

    @Test
    void followsTheVersionDefaultAndTheConnectionTokens() {
        assertThat(KeepAlive.of(response(HttpVersion.HTTP_1_1, null))).isTrue();
        assertThat(KeepAlive.of(response(HttpVersion.HTTP_1_0, null))).isFalse();
        assertThat(KeepAlive.of(response(HttpVersion.HTTP_1_1, "Close"))).isFalse();
        assertThat(KeepAlive.of(response(HttpVersion.HTTP_1_1, "x-foo,\t close"))).isFalse();
        assertThat(KeepAlive.of(response(HttpVersion.HTTP_1_0, "Keep-Alive"))).isTrue();
        assertThat(KeepAlive.of(response(HttpVersion.HTTP_1_0, "closed, keep-alives"))).isFalse();
    }
}
