package io.portcullis.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimValuesTest {

    @Test
    void claimsInJsonFormAreUsedAsTheyAre() {
        Map<String, Object> claims = Map.of("sub", "a", "exp", 1L, "score", 0.5, "ok", true,
                "roles", List.of("x"), "realm", Map.of("roles", List.of("y")));
        assertThat(ClaimValues.forCel(claims)).isSameAs(claims);
    }

    @Test
    void nullsBecomeCelNullAtAnyDepth() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("gone", null);
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "a");
        claims.put("realm", inner);
        claims.put("list", Arrays.asList("x", null));
        @SuppressWarnings("unchecked")
        Map<String, Object> converted = (Map<String, Object>) ClaimValues.forCel(claims);
        assertThat(converted).isNotSameAs(claims);
        assertThat(converted.get("sub")).isEqualTo("a");
        assertThat(converted.get("realm")).isEqualTo(Map.of("gone", NullValue.NULL_VALUE));
        assertThat(converted.get("list")).isEqualTo(List.of("x", NullValue.NULL_VALUE));
        assertThat(claims.get("list")).as("the original is not changed").isEqualTo(Arrays.asList("x", null));
    }

    @Test
    void otherNumbersBecomeLongOrDouble() {
        assertThat(ClaimValues.forCel(7)).isEqualTo(7L);
        assertThat(ClaimValues.forCel(BigInteger.TEN)).isEqualTo(10L);
        assertThat(ClaimValues.forCel(BigInteger.TWO.pow(70))).isEqualTo(Math.pow(2, 70));
        assertThat(ClaimValues.forCel(new BigDecimal("1.25"))).isEqualTo(1.25);
        assertThat(ClaimValues.forCel(1.5f)).isEqualTo(1.5);
    }
}
