package io.portcullis.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.config.policy.JwksConfig;
import io.portcullis.config.policy.JwtAuthConfig;
import io.portcullis.config.policy.JwtMode;
import io.portcullis.config.policy.RateLimitConfig;
import io.portcullis.policy.PolicyChain;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import io.portcullis.policy.headers.HeaderModifier;
import io.portcullis.policy.headers.RequestHeaderModifierPolicy;
import io.portcullis.policy.jwt.JwtAuthPolicy;
import io.portcullis.policy.ratelimit.LocalRateLimitPolicy;
import io.portcullis.routing.RequestView;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request policy work of bench/config/auth.yaml (jwtAuth with a repeated RS256 token, a route-wide
 * token bucket, a header rewrite) on a freshly built request, as the load benchmark runs it. {@code baseline}
 * builds the request and its context only; the policies' own cost is the difference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AuthChainBenchmark {
    private PolicyChain chain;
    private String authorization;

    @Setup
    public void setup() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("bench-1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench-1").build(),
                new JWTClaimsSet.Builder().issuer("bench-issuer").audience("bench").subject("agent-7")
                        .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new RSASSASigner(rsa));
        authorization = "Bearer " + jwt.serialize();
        JwtAuthConfig auth = new JwtAuthConfig(JwtMode.strict, null, "bench-issuer", List.of("bench"),
                JwksConfig.fromScalar(new JWKSet(rsa.toPublicJWK()).toString()), null, null, null, null);
        chain = PolicyChain.of(null, JwtAuthPolicy.compile(auth, null), null,
                LocalRateLimitPolicy.compile(List.of(new RateLimitConfig(1_000_000_000L, 1_000_000_000L,
                        Duration.ofSeconds(1), null, null, null))),
                new RequestHeaderModifierPolicy(new HeaderModifier(null, Map.of("x-gateway", "portcullis"), List.of("x-debug"))),
                null, null, null);
    }

    private RequestContext request() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/json");
        request.headers().add("host", "127.0.0.1:18087").add("user-agent", "wrk").add("authorization", new String(authorization)); // a fresh copy, as the decoder makes: its hash is not cached
        RequestView view = new RequestView(request.method(), "/json", null, "127.0.0.1:18087", request.headers());
        return new RequestContext(request, view, null, ByteBufAllocator.DEFAULT, "http", "127.0.0.1", false);
    }

    @Benchmark
    public RequestContext baseline() {
        return request();
    }

    @Benchmark
    public PolicyResult chain() {
        PolicyResult result = chain.apply(request());
        if (!result.isContinue()) {
            throw new IllegalStateException("refused: " + result.reason());
        }
        return result;
    }
}
