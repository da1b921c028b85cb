package io.portcullis.policy.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which {@code Origin} values an {@code allowOrigins} list admits. */
class AllowedOriginsTest {

    static AllowedOrigins origins(String... entries) {
        return AllowedOrigins.compile(List.of(entries));
    }

    @Test
    void exactOriginMatchesOnlyItsSchemeHostAndPort() {
        AllowedOrigins allowed = origins("https://app.example.com", "http://localhost:3000");
        assertThat(allowed.allows("https://app.example.com")).isTrue();
        assertThat(allowed.allows("http://localhost:3000")).isTrue();
        assertThat(allowed.allows("http://app.example.com")).isFalse();
        assertThat(allowed.allows("https://app.example.com:8443")).isFalse();
        assertThat(allowed.allows("https://api.example.com")).isFalse();
        assertThat(allowed.allows("https://app.example.com.evil.test")).isFalse();
        assertThat(allowed.allows("http://localhost:3001")).isFalse();
        assertThat(allowed.allows("http://localhost")).isFalse();
    }

    @Test
    void hostAndSchemeCaseAndDefaultPortsDoNotMatter() {
        AllowedOrigins allowed = origins("HTTPS://App.Example.COM", "http://example.org:80");
        assertThat(allowed.allows("https://app.example.com")).isTrue();
        assertThat(allowed.allows("https://APP.example.com:443")).isTrue();
        assertThat(allowed.allows("http://example.org")).isTrue();
        assertThat(allowed.allows("HTTP://EXAMPLE.ORG:80")).isTrue();
        assertThat(allowed.allows("http://example.org:8080")).isFalse();
    }

    @Test
    void wildcardHostMatchesAnyRunOfCharactersAsInAgentgateway() {
        AllowedOrigins allowed = origins("https://*.example.com");
        assertThat(allowed.allows("https://a.example.com")).isTrue();
        assertThat(allowed.allows("https://a.b.example.com")).isTrue();
        assertThat(allowed.allows("https://example.com")).isFalse();
        assertThat(allowed.allows("https://a.example.com.evil.test")).isFalse();
        assertThat(allowed.allows("https://evil-example.com")).isFalse();
        assertThat(allowed.allows("http://a.example.com")).isFalse();
        assertThat(allowed.allows("https://a.example.com:8443")).isFalse();

        AllowedOrigins anyHttps = origins("https://*", "http://*.test:8080");
        assertThat(anyHttps.allows("https://whatever.internal")).isTrue();
        assertThat(anyHttps.allows("http://whatever.internal")).isFalse();
        assertThat(anyHttps.allows("http://a.test:8080")).isTrue();
        assertThat(anyHttps.allows("http://a.test")).isFalse();
    }

    @Test
    void starAllowsEveryOriginEvenOnesThatAreNotUrls() {
        AllowedOrigins any = origins("https://app.example.com", "*");
        assertThat(any.allows("https://anything.test")).isTrue();
        assertThat(any.allows("null")).isTrue();
        assertThat(any.none()).isFalse();
    }

    @Test
    void emptyListAllowsNoOrigin() {
        AllowedOrigins none = AllowedOrigins.compile(List.of());
        assertThat(none.none()).isTrue();
        assertThat(none.allows("https://app.example.com")).isFalse();
        assertThat(AllowedOrigins.compile(null).none()).isTrue();
    }

    @Test
    void requestOriginsThatAreNotOriginsNeverMatch() {
        AllowedOrigins allowed = origins("https://*.example.com", "https://app.example.com");
        assertThat(allowed.allows("null")).isFalse();
        assertThat(allowed.allows("")).isFalse();
        assertThat(allowed.allows("https://app.example.com/")).isFalse();
        assertThat(allowed.allows("ftp://app.example.com")).isFalse();
        assertThat(allowed.allows("https://evil.test@app.example.com")).isFalse();
        assertThat(allowed.allows("https://app.example.com:0")).isFalse();
        assertThat(allowed.allows("https://app.example.com:99999")).isFalse();
        // A request cannot smuggle a wildcard in: * in the header is no host.
        assertThat(origins("https://a*.example.com").allows("https://a*.example.com")).isFalse();
    }

    @Test
    void ipv6OriginsCompareLikeOthers() {
        AllowedOrigins allowed = origins("http://[::1]:8080");
        assertThat(allowed.allows("http://[::1]:8080")).isTrue();
        assertThat(allowed.allows("http://[::1]")).isFalse();
        assertThat(allowed.allows("http://[::2]:8080")).isFalse();
    }

    @Test
    void anEntryThatIsNotAnOriginFailsToCompile() {
        assertThatThrownBy(() -> origins("https://app.example.com/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://app.example.com/");
    }

    @Test
    @Timeout(2)
    void wildcardMatchingIsNotExponential() {
        String host = "a".repeat(5000) + ".test";
        assertThat(ParsedOrigin.glob("*a*a*a*a*a*a*a*a*a*b", host)).isFalse();
        assertThat(ParsedOrigin.glob("*a*a*a*a*a*a*a*a*a*.test", host)).isTrue();
    }
}
