package io.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a name listed in {@code backendTLS.subjectAltNames} is compared with one subject alternative name. */
class SubjectAltNameTrustManagerTest {
    private static final int DNS = 2;
    private static final int URI = 6;
    private static final int IP = 7;

    @Test
    void dnsNamesMatchExactlyIgnoringCase() {
        assertThat(SubjectAltNameTrustManager.matches(DNS, "api.internal.test", "API.internal.test")).isTrue();
        assertThat(SubjectAltNameTrustManager.matches(DNS, "api.internal.test", "internal.test")).isFalse();
        assertThat(SubjectAltNameTrustManager.matches(DNS, "api.internal.test", "x.api.internal.test")).isFalse();
    }

    @Test
    void aCertificateWildcardStandsForExactlyOneLeftmostLabel() {
        assertThat(SubjectAltNameTrustManager.matches(DNS, "*.internal.test", "api.internal.test")).isTrue();
        assertThat(SubjectAltNameTrustManager.matches(DNS, "*.internal.test", "a.b.internal.test")).isFalse();
        assertThat(SubjectAltNameTrustManager.matches(DNS, "*.internal.test", "internal.test")).isFalse();
        assertThat(SubjectAltNameTrustManager.matches(DNS, "*.test", "internal.test")).as("no wildcard over a TLD").isFalse();
        assertThat(SubjectAltNameTrustManager.matches(DNS, "*.0.0.1", "127.0.0.1")).as("not for addresses").isFalse();
    }

    @Test
    void addressesCompareAsBytesAndUrisExactly() {
        assertThat(SubjectAltNameTrustManager.matches(IP, "0:0:0:0:0:0:0:1", "::1")).isTrue();
        assertThat(SubjectAltNameTrustManager.matches(IP, "127.0.0.1", "127.0.0.2")).isFalse();
        assertThat(SubjectAltNameTrustManager.matches(IP, "127.0.0.1", "localhost")).isFalse();
        assertThat(SubjectAltNameTrustManager.matches(URI, "spiffe://td/ns/a/sa/b", "spiffe://td/ns/a/sa/b")).isTrue();
        assertThat(SubjectAltNameTrustManager.matches(URI, "spiffe://td/ns/a/sa/b", "spiffe://td/ns/a/sa/bc")).isFalse();
        assertThat(SubjectAltNameTrustManager.matches(DNS, "spiffe://td/ns/a/sa/b", "spiffe://td/ns/a/sa/b"))
                .as("a URI is only compared with URI names").isFalse();
    }
}
