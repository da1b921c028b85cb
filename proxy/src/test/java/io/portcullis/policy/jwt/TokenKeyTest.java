package io.portcullis.policy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenKeyTest {

    @Test
    void equalOnlyForEqualValuesEvenWhenTheHashedTailIsTheSame() {
        String tail = "x".repeat(32);
        TokenKey a = new TokenKey("Bearer aaaa." + tail);
        TokenKey b = new TokenKey("Bearer bbbb." + tail);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a).isNotEqualTo(b);
        assertThat(a).isEqualTo(new TokenKey(new String("Bearer aaaa." + tail)));
    }

    @Test
    void tokensThatDifferInTheirSignatureHashApart() {
        assertThat(new TokenKey("h.p.sigA").hashCode()).isNotEqualTo(new TokenKey("h.p.sigB").hashCode());
    }
}
