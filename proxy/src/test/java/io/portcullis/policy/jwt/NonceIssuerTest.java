package io.portcullis.policy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NonceIssuerTest {
    private static final byte[] SECRET = "an-hmac-secret-shared-by-every-replica-0123".getBytes(StandardCharsets.UTF_8);

    @Test
    void aNonceIsValidOnAnyReplicaWithTheSameSecretUntilItsLifetimeEnds() {
        String nonce = new NonceIssuer(SECRET, 300).issue(10_000);
        NonceIssuer otherReplica = new NonceIssuer(SECRET.clone(), 300);
        assertThat(otherReplica.valid(nonce, 10_000)).isTrue();
        assertThat(otherReplica.valid(nonce, 10_300)).isTrue();
        assertThat(otherReplica.valid(nonce, 10_301)).isFalse();
    }

    @Test
    void anotherSecretATamperedNonceOrGarbageIsRefused() {
        String nonce = new NonceIssuer(SECRET, 300).issue(10_000);
        assertThat(new NonceIssuer("a-different-secret-of-enough-length-000000".getBytes(StandardCharsets.UTF_8), 300)
                .valid(nonce, 10_000)).isFalse();
        char last = nonce.charAt(nonce.length() - 1);
        String tampered = nonce.substring(0, nonce.length() - 1) + (last == 'A' ? 'B' : 'A');
        NonceIssuer issuer = new NonceIssuer(SECRET, 300);
        assertThat(issuer.valid(tampered, 10_000)).isFalse();
        assertThat(issuer.valid("not base64 !", 10_000)).isFalse();
        assertThat(issuer.valid("", 10_000)).isFalse();
        assertThat(issuer.valid(null, 10_000)).isFalse();
    }

    @Test
    void aNonceFromTheFutureIsRefused() {
        String nonce = new NonceIssuer(SECRET, 300).issue(20_000);
        assertThat(new NonceIssuer(SECRET, 300).valid(nonce, 10_000)).isFalse();
    }
}
