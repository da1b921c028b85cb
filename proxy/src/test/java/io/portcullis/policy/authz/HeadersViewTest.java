package io.portcullis.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersViewTest {
    static HeadersView view() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Host", "a.example");
        headers.add("X-Group", "first");
        headers.add("x-role", "admin");
        headers.add("x-group", "second");
        headers.add("X-GROUP", "third");
        return new HeadersView(headers);
    }

    @Test
    void lookupIgnoresTheCaseHeadersWereSentIn() {
        HeadersView view = view();
        assertThat(view.get("host")).isEqualTo("a.example");
        assertThat(view.get("x-role")).isEqualTo("admin");
        assertThat(view.containsKey("x-role")).isTrue();
        assertThat(view.get("x-missing")).isNull();
        assertThat(view.containsKey("x-missing")).isFalse();
    }

    @Test
    void keysAreLowerCaseOnly() {
        HeadersView view = view();
        assertThat(view.get("X-Role")).isNull();
        assertThat(view.containsKey("Host")).isFalse();
        assertThat(view.get(42)).isNull();
    }

    @Test
    void repeatedHeadersJoinInTheOrderSent() {
        HeadersView view = view();
        assertThat(view.get("x-group")).isEqualTo("first, second, third");
    }

    @Test
    void theWholeMapHasLowerCaseKeysAndJoinedValues() {
        HeadersView view = view();
        assertThat(view).containsExactly(
                Map.entry("host", "a.example"), Map.entry("x-group", "first, second, third"), Map.entry("x-role", "admin"));
        assertThat(view.size()).isEqualTo(3);
        assertThat(view.get("x-group")).as("after materialising").isEqualTo("first, second, third");
        assertThat(new HeadersView(new DefaultHttpHeaders())).isEmpty();
    }
}
