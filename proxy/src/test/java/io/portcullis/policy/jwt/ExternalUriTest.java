package io.portcullis.policy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExternalUriTest {

    @Test
    void claimsAreNormalisedAsRfc9449Asks() {
        assertThat(ExternalUri.normaliseClaim("HTTP://Gateway.Example:80/mcp?x=1#f")).isEqualTo("http://gateway.example/mcp");
        assertThat(ExternalUri.normaliseClaim("https://gw:443/a/./b/../c")).isEqualTo("https://gw/a/c");
        assertThat(ExternalUri.normaliseClaim("https://gw:8443/%6Dcp")).isEqualTo("https://gw:8443/mcp");
        assertThat(ExternalUri.normaliseClaim("https://gw")).isEqualTo("https://gw/");
    }

    @Test
    void claimsThatAreNotAbsoluteHttpUrisNormaliseToNothing() {
        assertThat(ExternalUri.normaliseClaim("/mcp")).isNull();
        assertThat(ExternalUri.normaliseClaim("ftp://gw/mcp")).isNull();
        assertThat(ExternalUri.normaliseClaim("https://user@gw/mcp")).isNull();
        assertThat(ExternalUri.normaliseClaim("http://gw/a b")).isNull();
    }
}
