package io.portcullis.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.upstream.Backend;
import org.junit.jupiter.api.Test;

class RouteCompilerTest {
    @Test
    void backendsAreParsedAsTheValidatorAcceptsThem() {
        Backend plain = RouteCompiler.parseBackend("127.0.0.1:9000", 1);
        assertThat(plain.authority()).isEqualTo("127.0.0.1:9000");
        Backend v6 = RouteCompiler.parseBackend("[::1]:9000", 2);
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.authority()).isEqualTo("[::1]:9000");
        assertThat(RouteCompiler.parseBackend("HTTP://svc.local", 1).authority()).isEqualTo("svc.local:80");
        assertThat(RouteCompiler.parseBackend("http://svc.local:8080", 1).port()).isEqualTo(8080);
    }
}
