package io.portcullis.bench;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.observability.Metrics;
import io.portcullis.observability.Observability;
import io.portcullis.observability.RequestRecord;
import io.portcullis.observability.TraceContext;
import io.portcullis.policy.RequestContext;
import io.portcullis.routing.RequestView;
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
 * What one request costs the metrics, exactly as {@code FrontendHandler} records it through a
 * {@link RequestRecord} (begin, route, response status, end: {@code requests_total}, the duration histogram
 * and, for refusals, {@code jwt_auth_failure_total} / {@code rate_limit_triggered_total}), with the access
 * log off. Run with {@code -prof gc}: every variant should allocate nothing, since the data points are
 * resolved once per (route, status, reason) and kept. {@code newTraceparent} is the trace id created for a
 * request that came without one, for comparison (it builds a string).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MetricsBenchmark {
    RequestRecord record;
    RequestContext refusedToken;

    @Setup
    public void setup() {
        record = new RequestRecord(new Observability(new Metrics("portcullis"), null));
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/items");
        RequestView view = new RequestView(HttpMethod.GET, "/api/items", null, "api.example.com", request.headers());
        refusedToken = new RequestContext(request, view, null, UnpooledByteBufAllocator.DEFAULT, "http", "10.1.2.3", false);
        refusedToken.authFailure("expired", null, null);
        // First use resolves the data points (allocates once); the benchmarks measure what follows.
        relayed();
        rateLimited();
        jwtRefused();
    }

    @Benchmark
    public int relayed() {
        record.begin("GET", "/api/items", null);
        record.routed("api", null);
        record.responseStatus(200);
        record.upstream("10.0.0.5:9000", 0, 98);
        record.end(record.responseStatus(), Metrics.UPSTREAM, -1);
        return record.responseStatus();
    }

    @Benchmark
    public boolean rateLimited() {
        record.begin("GET", "/api/items", null);
        record.routed("api", null);
        record.end(429, "rate_limited", 20);
        return record.active();
    }

    @Benchmark
    public boolean jwtRefused() {
        record.begin("GET", "/api/items", null);
        record.routed("api", refusedToken);
        record.end(401, "jwt_expired", 30);
        return record.active();
    }

    @Benchmark
    public CharSequence newTraceparent() {
        return TraceContext.create();
    }
}
