package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "127.0.0.1:9090, 127.0.0.1, 9090",
        "0.0.0.0:0, 0.0.0.0, 0",
        "localhost:15000, localhost, 15000",
        "my-mcp-server.default.svc.cluster.local:5000, my-mcp-server.default.svc.cluster.local, 5000",
        "[::1]:9000, ::1, 9000",
        "[fd00::1]:65535, fd00::1, 65535",
    })
    void parsesHostAndPort(String text, String host, int port) {
        assertThat(HostPort.parse(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "", "9090", ":9090", "host", "host:", "host:65536", "host:-1", "host:x", "::1:9000", "[::1]", "[::1]9000",
        "[nothost]:80", "a b:80", "http://host:80", "host:80/path", "user@host:80", "-bad-.example:80",
    })
    void rejectsMalformedAddresses(String text) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" (expected: host:port or [ipv6]:port)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "backend:8080, backend, 8080",
        "http://backend, backend, 80",
        "HTTP://backend:8080, backend, 8080",
        "http://[::1], ::1, 80",
        "http://[::1]:81, ::1, 81",
    })
    void parsesBackends(String text, String host, int port) {
        assertThat(HostPort.parseBackend(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"backend", "backend:0", "http://backend/", "http://backend:80/api", "ftp://backend:21"})
    void rejectsMalformedBackends(String text) {
        assertThatThrownBy(() -> HostPort.parseBackend(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text
                        + "\" (expected: host:port, [ipv6]:port, http://host[:port] or https://host[:port], port 1-65535)");
    }

    @Test
    void httpsBackendsDefaultToPort443AndAreMarkedTls() {
        assertThat(HostPort.parseBackend("https://api.example.com")).isEqualTo(new HostPort("api.example.com", 443));
        assertThat(HostPort.parseBackend("HTTPS://api.example.com:8443")).isEqualTo(new HostPort("api.example.com", 8443));
        assertThat(HostPort.isHttps("https://x:1")).isTrue();
        assertThat(HostPort.isHttps("http://x:1")).isFalse();
        assertThatThrownBy(() -> HostPort.parseBackend("https://api.example.com/v1"))
                .hasMessageContaining("https://host[:port]");
    }

    @Test
    void printsIpv6WithBrackets() {
        assertThat(new HostPort("::1", 80)).hasToString("[::1]:80");
        assertThat(new HostPort("example.com", 80)).hasToString("example.com:80");
    }
}
