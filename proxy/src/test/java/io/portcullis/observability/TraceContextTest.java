package io.portcullis.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** W3C traceparent syntax: what is passed on, what is replaced, and that new ids are well formed and distinct. */
class TraceContextTest {

    @Test
    void validVersion00IsKeptWithItsTracestate() {
        HttpHeaders h = new DefaultHttpHeaders()
                .set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .set("tracestate", "a=1");
        assertThat(TraceContext.ensure(h)).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(h.get("tracestate")).isEqualTo("a=1");
    }

    @Test
    void malformedValuesAreRefused() {
        assertThat(TraceContext.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isTrue();
        assertThat(TraceContext.isValid("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future")).isTrue();
        assertThat(TraceContext.isValid("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isFalse();
        assertThat(TraceContext.isValid("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isFalse();
        assertThat(TraceContext.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isFalse();
        assertThat(TraceContext.isValid("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isFalse();
        assertThat(TraceContext.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")).isFalse();
        assertThat(TraceContext.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")).isFalse();
        assertThat(TraceContext.isValid("garbage")).isFalse();
    }

    @Test
    void aMalformedOneIsReplacedAndItsTracestateDropped() {
        HttpHeaders h = new DefaultHttpHeaders().set("traceparent", "00-xyz").set("tracestate", "a=1");
        String created = TraceContext.ensure(h).toString();
        assertThat(created).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        assertThat(h.get("traceparent")).isEqualTo(created);
        assertThat(h.contains("tracestate")).isFalse();
    }

    @Test
    void createdIdsAreValidAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String t = TraceContext.create().toString();
            assertThat(TraceContext.isValid(t)).isTrue();
            seen.add(t.substring(3, 35));
        }
        assertThat(seen).hasSize(10_000);
    }
}
