package io.portcullis.bench;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.http.ForwardedHeaders;
import io.portcullis.http.HopByHop;
import io.portcullis.policy.headers.HeaderModifier;
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
 * The per-request header work of a proxied request: hop-by-hop removal, X-Forwarded-* and a route's
 * request header modifier (seed 002's: remove three headers, set one). Each invocation builds a fresh
 * client header block, as the decoder does per request; {@code buildOnly} measures that part alone, so
 * the rewrite's own cost and allocation are the difference between the two.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HeaderRewriteBenchmark {
    HeaderModifier modifier;

    @Setup
    public void setup() {
        modifier = new HeaderModifier(null, Map.of("authorization", "Bearer backend-token"),
                List.of("x-forwarded-for", "x-real-ip", "x-original-authorization"));
    }

    static HttpHeaders clientHeaders() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("host", "gateway:8080");
        headers.add("user-agent", "agent/1.0");
        headers.add("accept", "application/json");
        headers.add("content-type", "application/json");
        headers.add("authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig");
        headers.add("x-real-ip", "6.6.6.6");
        headers.add("connection", "keep-alive");
        return headers;
    }

    @Benchmark
    public HttpHeaders buildOnly() {
        return clientHeaders();
    }

    @Benchmark
    public HttpHeaders buildAndRewrite() {
        HttpHeaders headers = clientHeaders();
        HopByHop.strip(headers);
        ForwardedHeaders.apply(headers, "127.0.0.1", false, "http");
        modifier.apply(headers);
        return headers;
    }
}
