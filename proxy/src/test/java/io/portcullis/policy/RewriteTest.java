package io.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.policy.rewrite.AuthorityRewrite;
import io.portcullis.policy.rewrite.PathRewrite;
import io.portcullis.routing.CompiledMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewriteTest {
    static CompiledMatch prefix(String p) {
        return new CompiledMatch(CompiledMatch.PathKind.PREFIX, p, HttpMethod.GET, List.of(), List.of());
    }

    @Test
    void prefixRewriteReplacesOnlyTheMatchedPrefix() {
        PathRewrite toRoot = new PathRewrite(null, "/");
        assertThat(toRoot.apply("/api/users", prefix("/api"))).isEqualTo("/users");
        assertThat(toRoot.apply("/api", prefix("/api"))).isEqualTo("/");
        PathRewrite toV2 = new PathRewrite(null, "/v2");
        assertThat(toV2.apply("/api/users", prefix("/api/"))).isEqualTo("/v2/users");
        assertThat(toV2.apply("/x", prefix("/"))).isEqualTo("/v2/x");
        assertThat(new PathRewrite("/fixed", null).apply("/api/users", prefix("/api"))).isEqualTo("/fixed");
    }

    @Test
    void authorityRewriteKeepsWhatItDoesNotReplace() {
        assertThat(new AuthorityRewrite("b:9", null, null).apply("a:1")).isEqualTo("b:9");
        assertThat(new AuthorityRewrite(null, "b", null).apply("a:1")).isEqualTo("b:1");
        assertThat(new AuthorityRewrite(null, "b", null).apply("a")).isEqualTo("b");
        assertThat(new AuthorityRewrite(null, null, 9).apply("a:1")).isEqualTo("a:9");
        assertThat(new AuthorityRewrite(null, null, 9).apply("[::1]:1")).isEqualTo("[::1]:9");
    }
}
