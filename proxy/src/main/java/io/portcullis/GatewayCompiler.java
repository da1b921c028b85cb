package io.portcullis;

import io.portcullis.config.BackendDefaultsConfig;
import io.portcullis.config.BindConfig;
import io.portcullis.config.GatewayConfig;
import io.portcullis.config.HostPort;
import io.portcullis.config.ListenerConfig;
import io.portcullis.config.ListenerProtocol;
import io.portcullis.config.RouteConfig;
import io.portcullis.config.StaticConfig;
import io.portcullis.config.policy.BackendTlsConfig;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** agentgateway's defaults: admin on loopback only, readiness on every interface (kubelet probes the pod IP). */
    static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 15000);
    static final HostPort DEFAULT_READINESS = new HostPort("0.0.0.0", 15021);

    /**
     * What a compiled route is reused under on the next reload: its place (bind, listener, route name or
     * index), everything it was compiled from, and the files it read only at compile time (backendTLS). A key
     * set file is not part of it: its source re-reads it by itself.
     */
    public record RouteKey(String bind, int listener, String route, RouteConfig config, long defaultMaxBody,
                           List<Object> files) {}

    private GatewayCompiler() {}

    public static CompiledGateway compile(GatewayConfig config) {
        return compile(config, null);
    }

    /**
     * Compiles {@code config}, taking over from {@code previous} (null at start) every route whose
     * {@link RouteKey} is unchanged. If compiling fails, the routes built so far are closed and the exception
     * propagates; {@code previous} is untouched either way.
     */
    public static CompiledGateway compile(GatewayConfig config, CompiledGateway previous) {
        Map<RouteKey, CompiledRoute> routeIndex = new LinkedHashMap<>();
        Map<RouteKey, CompiledRoute> reusable = previous == null ? Map.of() : previous.routes();
        try {
            return compile(config, reusable, routeIndex);
        } catch (RuntimeException e) {
            for (Map.Entry<RouteKey, CompiledRoute> built : routeIndex.entrySet()) {
                if (reusable.get(built.getKey()) != built.getValue()) {
                    built.getValue().close();
                }
            }
            throw e;
        }
    }

    private static CompiledGateway compile(GatewayConfig config, Map<RouteKey, CompiledRoute> reusable,
                                           Map<RouteKey, CompiledRoute> index) {
        FrontendLimits limits = FrontendLimits.from(config.frontendPolicies());
        RouteCompiler routes = new RouteCompiler(limits.maxRequestBodySize());
        List<CompiledGateway.Bind> binds = new ArrayList<>();
        Map<String, Integer> ephemeral = new HashMap<>();
        for (BindConfig bind : config.binds()) {
            String address = bind.address() == null ? "0.0.0.0" : bind.address();
            String key = address + ":" + bind.port();
            if (bind.port() == 0) {
                key += "#" + ephemeral.merge(address, 1, Integer::sum);
            }
            List<CompiledListener> listeners = new ArrayList<>();
            List<ServerTls.Entry> certificates = new ArrayList<>();
            int listenerIndex = 0;
            for (ListenerConfig listener : bind.listeners()) {
                List<CompiledRoute> compiled = new ArrayList<>();
                int routeIndex = 0;
                for (RouteConfig route : listener.routes() == null ? List.<RouteConfig>of() : listener.routes()) {
                    String fallbackName = "route-" + routeIndex++;
                    String id = route.name() != null ? route.name() : fallbackName;
                    RouteKey routeKey = unique(index, new RouteKey(key, listenerIndex, id, route,
                            limits.maxRequestBodySize(), compileTimeFiles(route)));
                    CompiledRoute kept = reusable.get(routeKey);
                    CompiledRoute c = kept != null ? kept : routes.compile(route, fallbackName);
                    index.put(routeKey, c);
                    compiled.add(c);
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
            binds.add(new CompiledGateway.Bind(key, address, bind.port(), new ListenerTable(listeners), limits, tls));
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
        long minDeadline = orDefault(s == null ? null : s.connectionMinTerminationDeadline(), Duration.ZERO).toMillis();
        return new CompiledGateway(binds, upstream, workers, deadline, minDeadline,
                sideAddress(s == null ? null : s.adminAddr(), DEFAULT_ADMIN),
                sideAddress(s == null ? null : s.readinessAddr(), DEFAULT_READINESS),
                config, Map.copyOf(index), observe(s));
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

    /** Two routes of a listener may share a name (and even a config): each gets its own key. */
    private static RouteKey unique(Map<RouteKey, CompiledRoute> taken, RouteKey key) {
        RouteKey candidate = key;
        for (int n = 2; taken.containsKey(candidate); n++) {
            candidate = new RouteKey(key.bind(), key.listener(), key.route() + "#" + n, key.config(),
                    key.defaultMaxBody(), key.files());
        }
        return candidate;
    }

    /** {@code off} disables a side server; unset means the default. The validator checked the syntax. */
    private static CompiledGateway.SideAddress sideAddress(String configured, HostPort fallback) {
        if ("off".equals(configured)) {
            return null;
        }
        return configured == null
                ? new CompiledGateway.SideAddress(fallback, false)
                : new CompiledGateway.SideAddress(HostPort.parse(configured), true);
    }

    /** Modification time and size of the backendTLS files a route reads when it is compiled. */
    private static List<Object> compileTimeFiles(RouteConfig route) {
        BackendTlsConfig tls = route.policies() == null ? null : route.policies().backendTLS();
        if (tls == null) {
            return List.of();
        }
        List<Object> stamps = new ArrayList<>();
        for (String file : new String[] {tls.root(), tls.cert(), tls.key()}) {
            if (file != null) {
                try {
                    BasicFileAttributes a = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
                    stamps.add(a.lastModifiedTime());
                    stamps.add(a.size());
                } catch (IOException e) {
                    stamps.add("missing");
                }
            }
        }
        return stamps;
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
