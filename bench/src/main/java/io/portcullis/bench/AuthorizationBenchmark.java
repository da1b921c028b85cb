package io.portcullis.bench;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.config.policy.AuthorizationConfig;
import io.portcullis.config.policy.AuthorizationConfig.RuleConfig;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import io.portcullis.policy.authz.AuthorizationPolicy;
import io.portcullis.routing.RequestView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code authorization} policy on one request with a typical rule set: a tenant header is required and
 * the admin role allows (two CEL evaluations when allowed). {@code caller} varies the outcome: {@code admin}
 * passes, {@code user} is denied by the allow rule not matching, and {@code anonymous} (no token, so
 * {@code jwt.roles} is an evaluation error) is denied through CEL's error path, which throws inside the
 * runtime. Rules are compiled and the request built in {@link #setup}; each op is one {@code apply}, and a
 * denial's reply is released.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AuthorizationBenchmark {
    @Param({"admin", "user", "anonymous"})
    String caller;

    AuthorizationPolicy policy;
    RequestContext ctx;

    @Setup
    public void setup() {
        policy = AuthorizationPolicy.compile(new AuthorizationConfig(List.of(
                new RuleConfig(null, null, "request.headers[\"x-tenant\"] == \"acme\""),
                RuleConfig.fromScalar("\"admin\" in jwt.roles"))));
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/mcp");
        HttpHeaders headers = request.headers();
        headers.add("host", "gateway:8080");
        headers.add("user-agent", "agent/1.0");
        headers.add("accept", "application/json, text/event-stream");
        headers.add("content-type", "application/json");
        headers.add("content-length", "128");
        headers.add("authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig");
        headers.add("x-tenant", "acme");
        headers.add("x-forwarded-for", "127.0.0.1");
        RequestView view = new RequestView(HttpMethod.POST, "/mcp", null, "gateway:8080", headers);
        ctx = new RequestContext(request, view, null, UnpooledByteBufAllocator.DEFAULT, "http", "127.0.0.1", false);
        ctx.claims(claims(caller));
    }

    /** Claims as the JWT parser hands them over: JSON types, roles a list. */
    static Map<String, Object> claims(String caller) {
        if (caller.equals("anonymous")) {
            return null;
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "https://idp.example.com");
        claims.put("sub", caller + "@example.com");
        claims.put("aud", List.of("portcullis"));
        claims.put("exp", 1_900_000_000L);
        claims.put("iat", 1_899_996_400L);
        claims.put("jti", "b7f0c1d2-3e4f-5a6b-7c8d-9e0f1a2b3c4d");
        claims.put("scope", "mcp:read mcp:write");
        claims.put("roles", caller.equals("admin") ? List.of("user", "admin") : List.of("user"));
        return claims;
    }

    @Benchmark
    public PolicyResult apply() {
        PolicyResult result = policy.apply(ctx);
        if (!result.isContinue()) {
            result.reply().release();
        }
        return result;
    }
}
