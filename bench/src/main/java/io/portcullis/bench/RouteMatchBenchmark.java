package io.portcullis.bench;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.routing.CompiledMatch;
import io.portcullis.routing.CompiledRoute;
import io.portcullis.routing.ForwardSettings;
import io.portcullis.routing.HostnameMatcher;
import io.portcullis.routing.RequestView;
import io.portcullis.routing.RouteEntry;
import io.portcullis.routing.RouteTable;
import io.portcullis.policy.PolicyChain;
import io.portcullis.routing.ValueMatcher;
import java.util.ArrayList;
import java.util.List;
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
 * First-match route lookup over N routes (a mix of exact, prefix, method and header matches), for a request
 * that matches the last route (worst case) and one that matches the first. Run with {@code -prof gc}: the
 * lookup should allocate nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RouteMatchBenchmark {
    @Param({"10", "100", "1000"})
    int routes;

    RouteTable table;
    RequestView last;
    RequestView first;

    @Setup
    public void setup() {
        List<CompiledRoute> list = new ArrayList<>();
        ForwardSettings fs = new ForwardSettings(0, 0, 1 << 20, 1, 0, new int[0]);
        for (int i = 0; i < routes; i++) {
            CompiledMatch m;
            switch (i % 3) {
                case 0:
                    m = new CompiledMatch(CompiledMatch.PathKind.EXACT, "/exact/" + i, null, List.of(), List.of());
                    break;
                case 1:
                    m = new CompiledMatch(CompiledMatch.PathKind.PREFIX, "/prefix/" + i, HttpMethod.POST, List.of(), List.of());
                    break;
                default:
                    m = new CompiledMatch(CompiledMatch.PathKind.PREFIX, "/api/v" + i, null,
                            List.of(ValueMatcher.exact("x-env", "prod")), List.of());
            }
            list.add(new CompiledRoute("r" + i, HostnameMatcher.of(List.of()), List.of(m), PolicyChain.EMPTY, null, null, fs));
        }
        table = new RouteTable(list);
        HttpHeaders h = new DefaultHttpHeaders();
        h.set("host", "api.example.com");
        h.set("x-env", "prod");
        int lastIndex = routes - 1;
        String lastPath = lastIndex % 3 == 0 ? "/exact/" + lastIndex
                : lastIndex % 3 == 1 ? "/prefix/" + lastIndex + "/x" : "/api/v" + lastIndex + "/items";
        HttpMethod lastMethod = lastIndex % 3 == 1 ? HttpMethod.POST : HttpMethod.GET;
        last = new RequestView(lastMethod, lastPath, null, "api.example.com", h);
        first = new RequestView(HttpMethod.GET, "/exact/0", null, "api.example.com", h);
    }

    @Benchmark
    public RouteEntry matchLastRoute() {
        return table.find(last);
    }

    @Benchmark
    public RouteEntry matchFirstRoute() {
        return table.find(first);
    }
}
