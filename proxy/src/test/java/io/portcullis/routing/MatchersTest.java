package io.portcullis.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchersTest {
    @Test
    void pathPrefixMatchesWholeSegmentsOnly() {
        assertThat(PathPrefix.matches("/mcp", "/mcp")).isTrue();
        assertThat(PathPrefix.matches("/mcp", "/mcp/")).isTrue();
        assertThat(PathPrefix.matches("/mcp", "/mcp/tools/call")).isTrue();
        assertThat(PathPrefix.matches("/mcp/", "/mcp/x")).isTrue();
        assertThat(PathPrefix.matches("/mcp", "/mcpx")).isFalse();
        assertThat(PathPrefix.matches("/mcp", "/mc")).isFalse();
        assertThat(PathPrefix.matches("/", "/anything")).isTrue();
    }

    @Test
    void hostnamesMatchExactlyOrByWildcardLabel() {
        HostnameMatcher m = HostnameMatcher.of(List.of("api.example.com", "*.internal.example.com"));
        assertThat(m.matches("api.example.com")).isTrue();
        assertThat(m.matches("a.internal.example.com")).isTrue();
        assertThat(m.matches("internal.example.com")).isFalse();
        assertThat(m.matches("example.com")).isFalse();
        assertThat(HostnameMatcher.of(List.of()).matches("whatever")).isTrue();
    }

    @Test
    void matchFieldsAreAndedAndRegexMatchesWholePath() {
        CompiledMatch m = new CompiledMatch(CompiledMatch.PathKind.REGEX, "/items/[0-9]+", HttpMethod.GET,
                List.of(ValueMatcher.exact("x-env", "prod")), List.of(ValueMatcher.regex("v", "[12]")));
        HttpHeaders h = new DefaultHttpHeaders().add("X-Env", "prod");
        assertThat(m.matches(new RequestView(HttpMethod.GET, "/items/42", "v=1", "h", h))).isTrue();
        assertThat(m.matches(new RequestView(HttpMethod.GET, "/items/42x", "v=1", "h", h))).isFalse();
        assertThat(m.matches(new RequestView(HttpMethod.POST, "/items/42", "v=1", "h", h))).isFalse();
        assertThat(m.matches(new RequestView(HttpMethod.GET, "/items/42", "v=3", "h", h))).isFalse();
        assertThat(m.matches(new RequestView(HttpMethod.GET, "/items/42", "v=1", "h", new DefaultHttpHeaders()))).isFalse();
    }

    @Test
    void repeatedHeaderMatchesWhenAnyValueDoes() {
        CompiledMatch m = new CompiledMatch(CompiledMatch.PathKind.PREFIX, "/", null,
                List.of(ValueMatcher.exact("x-role", "admin")), List.of());
        HttpHeaders h = new DefaultHttpHeaders().add("x-role", "user").add("x-role", "admin");
        assertThat(m.matches(new RequestView(HttpMethod.GET, "/", null, "h", h))).isTrue();
    }

    @Test
    void hostIsTheAuthorityWithoutPortInLowerCase() {
        HttpHeaders h = new DefaultHttpHeaders();
        assertThat(new RequestView(HttpMethod.GET, "/", null, "API.Example.com:8080", h).host()).isEqualTo("api.example.com");
        assertThat(new RequestView(HttpMethod.GET, "/", null, "[::1]:8080", h).host()).isEqualTo("[::1]");
        assertThat(new RequestView(HttpMethod.GET, "/", null, "plain", h).host()).isEqualTo("plain");
        assertThat(new RequestView(HttpMethod.GET, "/", null, "", h).host()).isEmpty();
    }
}
