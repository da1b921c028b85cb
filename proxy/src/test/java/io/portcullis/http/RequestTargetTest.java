package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetTest {
    @ParameterizedTest
    @CsvSource({
        "/a/b,/a/b",
        "/a/./b,/a/b",
        "/a/../b,/b",
        "/public/../admin,/admin",
        "/../../etc/passwd,/etc/passwd",
        "/a/b/..,/a/",
        "/a/.,/a/",
        "/%2e%2e/admin,/admin",
        "/public/%2E%2E/admin,/admin",
        "/a%2Fb,/a%2Fb",
        "/%7euser,/~user",
    })
    void pathIsNormalised(String raw, String expected) {
        assertThat(RequestTarget.parse(raw).path()).isEqualTo(expected);
    }

    @Test
    void queryIsSplitOffAndKept() {
        RequestTarget t = RequestTarget.parse("/p?a=1&b=%2e");
        assertThat(t.path()).isEqualTo("/p");
        assertThat(t.query()).isEqualTo("a=1&b=%2e");
        assertThat(t.changed()).isFalse();
    }

    @Test
    void absoluteFormGivesAuthorityAndPath() {
        RequestTarget t = RequestTarget.parse("http://Example.com:8080/x?y");
        assertThat(t.authority()).isEqualTo("Example.com:8080");
        assertThat(t.path()).isEqualTo("/x");
        assertThat(t.query()).isEqualTo("y");
        assertThat(t.changed()).isTrue();
        assertThat(RequestTarget.parse("http://h").path()).isEqualTo("/");
    }

    @Test
    void malformedTargetsAreRefused() {
        assertThat(RequestTarget.parse("")).isNull();
        assertThat(RequestTarget.parse("*")).isNull();
        assertThat(RequestTarget.parse("ftp://h/x")).isNull();
        assertThat(RequestTarget.parse("http://user@h/x")).isNull();
        assertThat(RequestTarget.parse("/a%zz")).isNull();
        assertThat(RequestTarget.parse("/a%2")).isNull();
        assertThat(RequestTarget.parse("/a#frag")).isNull();
    }
}
