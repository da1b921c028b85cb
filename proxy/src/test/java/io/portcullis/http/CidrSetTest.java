package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrSetTest {
    static InetSocketAddress at(String ip) {
        return new InetSocketAddress(ip, 1);
    }

    @Test
    void matchesByPrefix() {
        CidrSet set = CidrSet.parse(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));
        assertThat(set.contains(at("10.1.2.3"))).isTrue();
        assertThat(set.contains(at("11.0.0.1"))).isFalse();
        assertThat(set.contains(at("192.168.1.7"))).isTrue();
        assertThat(set.contains(at("192.168.1.8"))).isFalse();
        assertThat(set.contains(at("fd12::1"))).isTrue();
        assertThat(set.contains(at("fe80::1"))).isFalse();
        assertThat(CidrSet.EMPTY.contains(at("127.0.0.1"))).isFalse();
    }

    @Test
    void namesAreRefusedNotResolved() {
        assertThatThrownBy(() -> CidrSet.parse(List.of("localhost"))).hasMessageContaining("localhost");
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.0.0.0/33"))).hasMessageContaining("prefix");
    }
}
