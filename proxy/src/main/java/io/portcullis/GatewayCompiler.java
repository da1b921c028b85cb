package io.portcullis;

import io.portcullis.config.BackendDefaultsConfig;
import io.portcullis.config.BindConfig;
import io.portcullis.config.GatewayConfig;
import io.portcullis.config.ListenerConfig;
import io.portcullis.config.ListenerProtocol;
import io.portcullis.config.RouteConfig;
import io.portcullis.config.StaticConfig;
import io.portcullis.routing.CompiledListener;
import io.portcullis.routing.CompiledRoute;
import io.portcullis.routing.HostnameMatcher;
import io.portcullis.routing.ListenerTable;
import io.portcullis.routing.RouteCompiler;
import io.portcullis.routing.RouteTable;
import io.portcullis.server.FrontendLimits;
import io.portcullis.tls.ReloadingSslContext;
import io.portcullis.tls.ServerTls;
import io.portcullis.upstream.UpstreamSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** Compiles a validated {@link GatewayConfig} into a {@link CompiledGateway}. */
public final class GatewayCompiler {
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_POOL_IDLE = Duration.ofSeconds(90);
    static final int DEFAULT_MAX_IDLE_PER_BACKEND = 1024;
    static final Duration DEFAULT_TERMINATION_DEADLINE = Duration.ofSeconds(30);
    static final String DEFAULT_METRICS_PREFIX = "portcullis";
    /**
     * Defaults of {@code statsAddr} and {@code logging.accessLog} where the file sets none. The system
     * properties exist for tests, which run many gateways on one machine: they move the default off the
     * fixed port 9090 ({@code 127.0.0.1:0}) and off the test runner's stdout.
     */
    static final String STATS_ADDR_PROPERTY = "portcullis.defaultStatsAddr";
    static final String ACCESS_LOG_PROPERTY = "portcullis.defaultAccessLog";

    private GatewayCompiler() {}

    public static CompiledGateway compile(GatewayConfig config) {
        FrontendLimits limits = FrontendLimits.from(config.frontendPolicies());
        RouteCompiler routes = new RouteCompiler(limits.maxRequestBodySize());
        List<CompiledGateway.Bind> binds = new ArrayList<>();
        for (BindConfig bind : config.binds()) {
            List<CompiledListener> listeners = new ArrayList<>();
            List<ServerTls.Entry> certificates = new ArrayList<>();
            int listenerIndex = 0;
            for (ListenerConfig listener : bind.listeners()) {
                List<CompiledRoute> compiled = new ArrayList<>();
                int routeIndex = 0;
                for (RouteConfig route : listener.routes() == null ? List.<RouteConfig>of() : listener.routes()) {
                    compiled.add(routes.compile(route, "route-" + routeIndex++));
                }
                String name = listener.name() != null ? listener.name() : "listener-" + listenerIndex;
                listenerIndex++;
                HostnameMatcher hostname =
                        HostnameMatcher.of(listener.hostname() == null ? List.of() : List.of(listener.hostname()));
                listeners.add(new CompiledListener(name, hostname, new RouteTable(compiled)));
                if (listener.protocol() == ListenerProtocol.HTTPS) {
                    certificates.add(new ServerTls.Entry(hostname, serverContext(name, listener)));
                }
            }
            // The validator made every listener of a bind the same protocol.
            ServerTls tls = certificates.isEmpty() ? null : new ServerTls(certificates);
            binds.add(new CompiledGateway.Bind(bind.address() == null ? "0.0.0.0" : bind.address(), bind.port(),
                    new ListenerTable(listeners), limits, tls));
        }
        StaticConfig s = config.config();
        BackendDefaultsConfig b = s == null ? null : s.backend();
        UpstreamSettings upstream = new UpstreamSettings(
                orDefault(b == null ? null : b.connectTimeout(), DEFAULT_CONNECT_TIMEOUT).toMillis(),
                orDefault(b == null ? null : b.poolIdleTimeout(), DEFAULT_POOL_IDLE).toMillis(),
                b == null || b.poolMaxSize() == null ? DEFAULT_MAX_IDLE_PER_BACKEND : b.poolMaxSize(),
                limits.bufferLimit());
        int workers = s == null || s.workerThreads() == null ? Runtime.getRuntime().availableProcessors() : s.workerThreads();
        long deadline = orDefault(s == null ? null : s.connectionTerminationDeadline(), DEFAULT_TERMINATION_DEADLINE).toMillis();
        return new CompiledGateway(binds, upstream, workers, deadline, observe(s));
    }

    private static CompiledGateway.Observe observe(StaticConfig s) {
        String stats = s == null || s.statsAddr() == null
                ? System.getProperty(STATS_ADDR_PROPERTY, "0.0.0.0:9090") : s.statsAddr();
        String prefix = s == null || s.metrics() == null || s.metrics().prefix() == null
                ? DEFAULT_METRICS_PREFIX : s.metrics().prefix();
        String accessLog = s == null || s.logging() == null || s.logging().accessLog() == null
                ? System.getProperty(ACCESS_LOG_PROPERTY, "stdout") : s.logging().accessLog();
        return new CompiledGateway.Observe(stats.equals("off") ? null : stats, prefix,
                accessLog.equals("off") ? null : accessLog);
    }

    private static ReloadingSslContext serverContext(String name, ListenerConfig listener) {
        try {
            return new ReloadingSslContext(name, listener.tls());
        } catch (SSLException e) {
            // The validator built the same context; reaching here means the files changed since.
            throw new IllegalStateException("listener " + name + " tls: " + e.getMessage(), e);
        }
    }

    private static Duration orDefault(Duration d, Duration def) {
        return d == null ? def : d;
    }
}
