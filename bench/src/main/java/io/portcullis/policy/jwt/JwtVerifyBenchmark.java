package io.portcullis.policy.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
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
 * jwtAuth's token path: a full verification (parse, provider by iss, key by kid, signature, audience, claims)
 * for RS256 and ES256, with the Amazon Corretto Crypto Provider or the JDK's own (each in its own fork, since
 * the provider is process-wide), and the cost of a repeated token (a cache hit plus the time checks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JwtVerifyBenchmark {
    @Param({"accp", "jdk"})
    public String provider;

    private TokenVerifier uncached;
    private TokenVerifier cached;
    private String rs256;
    private String es256;

    @Setup
    public void setup() throws Exception {
        if (provider.equals("accp")) {
            CryptoProviders.install();
        }
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        KeySet keys = JwksParser.parse(new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        JwtProvider issuer = new JwtProvider("bench-issuer", Set.of("bench"), Set.of("exp"), new StaticKeySource(keys), null);
        uncached = new TokenVerifier(List.of(issuer), Duration.ofSeconds(5), 0, false);
        cached = new TokenVerifier(List.of(issuer), Duration.ofSeconds(5), false);
        rs256 = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1");
        es256 = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1");
        cached.verify(rs256, now());
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("bench-issuer").audience("bench").subject("agent-7")
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).claim("roles", List.of("reader")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Benchmark
    public VerifiedToken rs256Verify() throws Exception {
        return uncached.verify(rs256, now());
    }

    @Benchmark
    public VerifiedToken es256Verify() throws Exception {
        return uncached.verify(es256, now());
    }

    @Benchmark
    public VerifiedToken cacheHit() throws Exception {
        return cached.verify(rs256, now());
    }
}
