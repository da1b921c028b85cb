package io.portcullis.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a bound config for everything a type cannot express: ranges, required keys, conflicts between
 * binds and listeners, address syntax. Runs once at load, so a bad file fails at startup with a path and
 * line instead of on some later request. Routes are checked by {@link RouteValidator}.
 */
final class ConfigValidator {
    private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug", "trace");
    private static final Set<String> LOG_FORMATS = Set.of("text", "json");
    private static final String METRIC_PREFIX = "[a-zA-Z_][a-zA-Z0-9_]*";
    private static final long KIB = 1024;

    private final Reporter report;
    private final RouteValidator routes;
    private final ListenerTlsValidator tls;

    private ConfigValidator(Reporter report) {
        this.report = report;
        this.routes = new RouteValidator(report);
        this.tls = new ListenerTlsValidator(report);
    }

    static void validate(GatewayConfig config, SourceMap sources, ConfigErrors errors) {
        new ConfigValidator(new Reporter(sources, errors)).gateway(config);
    }

    private void gateway(GatewayConfig config) {
        if (config.config() != null) {
            staticConfig(config.config());
        }
        if (config.frontendPolicies() != null && config.frontendPolicies().http() != null) {
            frontendHttp(config.frontendPolicies().http());
        }
        if (!report.nonEmpty(config, "binds", config.binds(), "at least one bind")) {
            return;
        }
        List<BindConfig> earlier = new ArrayList<>();
        for (BindConfig bind : config.binds()) {
            if (bind != null) {
                bind(bind, earlier);
                earlier.add(bind);
            }
        }
    }

    private void bind(BindConfig bind, List<BindConfig> earlier) {
        String ports = "1-65535, or 0 for an ephemeral port";
        if (report.required(bind, "port", bind.port(), ports) && (bind.port() < 0 || bind.port() > 65535)) {
            report.error(bind, "port", bind.port() + " (expected: " + ports + ")");
        }
        if (bind.address() != null && !Syntax.isIp(bind.address())) {
            report.error(bind, "address", Scalars.quote(bind.address())
                    + " (expected: an IP address such as 0.0.0.0, 127.0.0.1 or ::)");
        }
        for (BindConfig other : earlier) {
            if (sharesPort(bind, other)) {
                report.error(bind, "port", bind.port() + " is already used by " + report.path(other));
                break;
            }
        }
        if (report.nonEmpty(bind, "listeners", bind.listeners(), "at least one listener")) {
            listeners(bind.listeners());
        }
    }

    /** Whether both would bind the same socket; no address means all interfaces, which overlaps any. */
    private static boolean sharesPort(BindConfig a, BindConfig b) {
        if (a.port() == null || a.port() == 0 || !a.port().equals(b.port())) {
            return false;
        }
        return isWildcard(a.address()) || isWildcard(b.address()) || a.address().equals(b.address());
    }

    private static boolean isWildcard(String address) {
        return address == null || address.equals("0.0.0.0") || address.equals("::");
    }

    private void listeners(List<ListenerConfig> listeners) {
        ListenerConfig catchAll = null;
        ListenerConfig first = null;
        Map<String, ListenerConfig> byHostname = new HashMap<>();
        for (ListenerConfig listener : listeners) {
            if (listener == null) {
                continue;
            }
            // One socket either speaks TLS from the first byte or does not: no mixing on a port.
            if (first == null) {
                first = listener;
            } else if (protocol(listener) != protocol(first)) {
                report.error(listener, "protocol", protocol(listener) + ", but " + report.path(first) + " is "
                        + protocol(first) + " (expected: the same protocol for every listener of a bind)");
            }
            if (listener.hostname() == null) {
                if (catchAll != null) {
                    report.error(listener, "hostname", "missing, and " + report.path(catchAll)
                            + " already has no hostname (expected: at most one listener per bind without one)");
                }
                catchAll = catchAll == null ? listener : catchAll;
            } else {
                ListenerConfig previous = byHostname.putIfAbsent(listener.hostname().toLowerCase(Locale.ROOT), listener);
                if (previous != null) {
                    report.error(listener, "hostname", Scalars.quote(listener.hostname()) + " is already used by "
                            + report.path(previous));
                }
            }
            listener(listener);
        }
    }

    private static ListenerProtocol protocol(ListenerConfig listener) {
        return listener.protocol() == null ? ListenerProtocol.HTTP : listener.protocol();
    }

    private void listener(ListenerConfig listener) {
        if (protocol(listener) == ListenerProtocol.HTTPS) {
            if (listener.tls() == null) {
                report.error(listener, "tls", "missing (expected: `cert` and `key` for protocol HTTPS)");
            } else {
                tls.validate(listener.tls());
            }
        } else if (listener.tls() != null) {
            report.error(listener, "tls", "set on an HTTP listener (expected: `protocol: HTTPS` to serve TLS, "
                    + "or no `tls`)");
        }
        if (listener.hostname() != null && !Syntax.isHostnamePattern(listener.hostname())) {
            report.error(listener, "hostname", Scalars.quote(listener.hostname())
                    + " (expected: a host name such as api.example.com or *.example.com)");
        }
        if (report.nonEmpty(listener, "routes", listener.routes(), "at least one route")) {
            routes.routes(listener.routes());
        }
    }

    private void staticConfig(StaticConfig config) {
        report.range(config, "workerThreads", config.workerThreads(), 1, 256);
        address(config, "statsAddr", config.statsAddr());
        address(config, "adminAddr", config.adminAddr());
        address(config, "readinessAddr", config.readinessAddr());
        if (config.connectionTerminationDeadline() != null && config.connectionMinTerminationDeadline() != null
                && config.connectionMinTerminationDeadline().compareTo(config.connectionTerminationDeadline()) > 0) {
            report.error(config, "connectionMinTerminationDeadline",
                    GoDuration.format(config.connectionMinTerminationDeadline())
                            + " is longer than connectionTerminationDeadline "
                            + GoDuration.format(config.connectionTerminationDeadline()));
        }
        LoggingConfig logging = config.logging();
        if (logging != null) {
            report.oneOf(logging, "level", logging.level(), LOG_LEVELS, "error, warn, info, debug or trace");
            report.oneOf(logging, "format", logging.format(), LOG_FORMATS, "text or json");
        }
        MetricsConfig metrics = config.metrics();
        if (metrics != null && metrics.prefix() != null && !metrics.prefix().matches(METRIC_PREFIX)) {
            report.error(metrics, "prefix", Scalars.quote(metrics.prefix())
                    + " (expected: letters, digits and _, not starting with a digit)");
        }
        BackendDefaultsConfig backend = config.backend();
        if (backend != null) {
            report.positive(backend, "connectTimeout", backend.connectTimeout());
            report.positive(backend, "poolIdleTimeout", backend.poolIdleTimeout());
            report.atLeast(backend, "poolMaxSize", backend.poolMaxSize(), 0);
        }
    }

    /** A listen address for the side servers: {@code host:port}, or {@code off} to disable it. */
    private void address(StaticConfig config, String field, String value) {
        if (value == null || value.equals("off")) {
            return;
        }
        try {
            HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            report.error(config, field, Scalars.quote(value) + " (expected: host:port, [ipv6]:port or off)");
        }
    }

    private void frontendHttp(FrontendHttpConfig http) {
        report.positive(http, "maxBufferSize", http.maxBufferSize());
        report.range(http, "http1MaxHeaders", http.http1MaxHeaders(), 1, 1000);
        report.positive(http, "http1IdleTimeout", http.http1IdleTimeout());
        report.positive(http, "maxConnectionDuration", http.maxConnectionDuration());
        report.sizeRange(http, "maxRequestLineSize", http.maxRequestLineSize(), KIB, KIB * KIB);
        report.sizeRange(http, "maxHeaderSize", http.maxHeaderSize(), KIB, KIB * KIB);
        report.positive(http, "maxRequestBodySize", http.maxRequestBodySize());
        report.positive(http, "requestHeaderTimeout", http.requestHeaderTimeout());
        report.atLeast(http, "maxRequestsPerConnection", http.maxRequestsPerConnection(), 1);
        report.positive(http, "websocketIdleTimeout", http.websocketIdleTimeout());
        report.sizeRange(http, "websocketMaxMessageSize", http.websocketMaxMessageSize(), 125, 64 * KIB * KIB);
        cidrs(http, "trustedProxies", http.trustedProxies());
        cidrs(http, "trustedIdentityProxies", http.trustedIdentityProxies());
    }

    private void cidrs(FrontendHttpConfig http, String field, List<String> cidrs) {
        for (int i = 0; cidrs != null && i < cidrs.size(); i++) {
            String problem = cidrs.get(i) == null ? null : Syntax.cidrProblem(cidrs.get(i));
            if (problem != null) {
                report.errorAt(SourceMap.element(report.path(http, field), i), problem);
            }
        }
    }
}
