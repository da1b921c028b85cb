package io.portcullis.config;

import io.portcullis.config.policy.BackendHttpConfig;
import io.portcullis.config.policy.PoliciesConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Checks a listener's routes: names, matches, backends; policies via {@link PolicyValidator}. */
final class RouteValidator {
    private static final Set<String> HTTP_VERSIONS = Set.of(BackendHttpConfig.HTTP_1_1, BackendHttpConfig.HTTP_2);
    private final Reporter report;
    private final PolicyValidator policies;

    RouteValidator(Reporter report) {
        this.report = report;
        this.policies = new PolicyValidator(report);
    }

    void routes(List<RouteConfig> routes) {
        Map<String, RouteConfig> byName = new HashMap<>();
        for (RouteConfig route : routes) {
            if (route == null) {
                continue;
            }
            RouteConfig previous = route.name() == null ? null : byName.putIfAbsent(route.name(), route);
            if (previous != null) {
                report.error(route, "name", Scalars.quote(route.name()) + " is already used by " + report.path(previous));
            }
            route(route);
        }
    }

    private void route(RouteConfig route) {
        List<String> hostnames = route.hostnames();
        for (int i = 0; hostnames != null && i < hostnames.size(); i++) {
            String hostname = hostnames.get(i);
            if (hostname != null && !Syntax.isHostnamePattern(hostname)) {
                report.errorAt(SourceMap.element(report.path(route, "hostnames"), i), Scalars.quote(hostname)
                        + " (expected: a host name such as api.example.com or *.example.com)");
            }
        }
        if (route.matches() != null) {
            if (route.matches().isEmpty()) {
                report.error(route, "matches", "empty list matches nothing (omit `matches` to match every request)");
            }
            route.matches().stream().filter(Objects::nonNull).forEach(this::match);
        }
        if (route.policies() != null) {
            policies.policies(route.policies());
        }
        backends(route);
    }

    private void match(MatchConfig match) {
        PathMatchConfig path = match.path();
        if (path != null) {
            report.exactlyOne(path, "exact, pathPrefix, regex", path.exact(), path.pathPrefix(), path.regex());
            report.absolutePath(path, "exact", path.exact());
            report.absolutePath(path, "pathPrefix", path.pathPrefix());
            report.regex(path, "regex", path.regex());
        }
        String method = match.method();
        if (method != null && !(Syntax.isToken(method) && method.equals(method.toUpperCase(Locale.ROOT)))) {
            report.error(match, "method", Scalars.quote(method) + " (expected: an uppercase method such as GET or POST)");
        }
        valueMatches(match.headers(), true);
        valueMatches(match.query(), false);
    }

    private void valueMatches(List<HeaderMatchConfig> matches, boolean headers) {
        if (matches == null) {
            return;
        }
        for (HeaderMatchConfig match : matches) {
            if (match == null) {
                continue;
            }
            String name = match.name();
            if (report.required(match, "name", name, headers ? "a header name" : "a query parameter name")) {
                if (headers && !Syntax.isToken(name)) {
                    report.error(match, "name", Scalars.quote(name) + " is not a valid header name");
                } else if (name.isEmpty()) {
                    report.error(match, "name", "empty (expected: a query parameter name)");
                }
            }
            ValueMatchConfig value = match.value();
            if (report.required(match, "value", value, "exact or regex")) {
                report.exactlyOne(value, "exact, regex", value.exact(), value.regex());
                report.regex(value, "regex", value.regex());
            }
        }
    }

    private void backends(RouteConfig route) {
        List<BackendConfig> backends = route.backends();
        if (backends == null || backends.isEmpty()) {
            PoliciesConfig p = route.policies();
            if (p == null || (p.directResponse() == null && p.requestRedirect() == null)) {
                String name = route.name() == null ? "route" : "route " + Scalars.quote(route.name());
                report.error(route, name + " has neither backends nor directResponse/requestRedirect");
            }
            return;
        }
        boolean anyWeight = false;
        for (BackendConfig backend : backends) {
            if (backend == null) {
                continue;
            }
            if (report.required(backend, "host", backend.host(), "host:port or http://host[:port]")) {
                try {
                    HostPort.parseBackend(backend.host());
                } catch (IllegalArgumentException e) {
                    report.error(backend, "host", e.getMessage());
                }
            }
            report.atLeast(backend, "weight", backend.weight(), 0);
            BackendHttpConfig http = backend.policies() == null ? null : backend.policies().http();
            if (http != null) {
                report.oneOf(http, "version", http.version(), HTTP_VERSIONS, "HTTP/1.1 or HTTP/2.0");
            }
            anyWeight |= backend.weight() == null || backend.weight() > 0;
        }
        if (!anyWeight) {
            report.error(route, "backends", "every backend has weight 0 (expected: at least one above 0)");
        }
    }
}
