package io.portcullis.config;

import io.portcullis.config.policy.AuthorityRewriteConfig;
import io.portcullis.config.policy.DirectResponseConfig;
import io.portcullis.config.policy.HeaderModifierConfig;
import io.portcullis.config.policy.PathRewriteConfig;
import io.portcullis.config.policy.PoliciesConfig;
import io.portcullis.config.policy.RateLimitConfig;
import io.portcullis.config.policy.RequestRedirectConfig;
import io.portcullis.config.policy.RetryConfig;
import io.portcullis.config.policy.TimeoutConfig;
import io.portcullis.config.policy.UrlRewriteConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Checks the route policies Portcullis implements. */
final class PolicyValidator {
    private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> SCHEMES = Set.of("http", "https");
    /**
     * Headers that carry message framing or connection state. The proxy sets them itself; letting a
     * config add or drop them would break framing between proxy and peer (request smuggling territory).
     */
    private static final Set<String> MANAGED_HEADERS = Set.of(
            "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te",
            "trailer", "upgrade");

    private final Reporter report;

    PolicyValidator(Reporter report) {
        this.report = report;
    }

    void policies(PoliciesConfig policies) {
        DirectResponseConfig direct = policies.directResponse();
        if (direct != null && report.required(direct, "status", direct.status(), "100-599")) {
            report.range(direct, "status", direct.status(), 100, 599);
        }
        if (policies.requestHeaderModifier() != null) {
            headerModifier(policies.requestHeaderModifier(), true);
        }
        if (policies.responseHeaderModifier() != null) {
            headerModifier(policies.responseHeaderModifier(), false);
        }
        UrlRewriteConfig rewrite = policies.urlRewrite();
        if (rewrite != null) {
            if (rewrite.authority() == null && rewrite.path() == null) {
                report.error(rewrite, "set authority, path or both");
            }
            authority(rewrite.authority());
            path(rewrite.path());
        }
        RequestRedirectConfig redirect = policies.requestRedirect();
        if (redirect != null) {
            if (redirect.status() != null && !REDIRECT_STATUSES.contains(redirect.status())) {
                report.error(redirect, "status", redirect.status() + " (expected: 301, 302, 303, 307 or 308)");
            }
            report.oneOf(redirect, "scheme", redirect.scheme(), SCHEMES, "http or https");
            authority(redirect.authority());
            path(redirect.path());
        }
        TimeoutConfig timeout = policies.timeout();
        if (timeout != null) {
            report.positive(timeout, "requestTimeout", timeout.requestTimeout());
            report.positive(timeout, "backendRequestTimeout", timeout.backendRequestTimeout());
        }
        if (policies.retry() != null) {
            retry(policies.retry());
        }
        if (policies.jwtAuth() != null) {
            new JwtAuthValidator(report).validate(policies.jwtAuth());
        }
        if (policies.backendAuth() != null && policies.jwtAuth() == null) {
            report.error(policies.backendAuth(), "passthrough keeps the token jwtAuth validated, so it needs jwtAuth on the same route");
        }
        if (policies.localRateLimit() != null) {
            new RateLimitValidator(report).validate(policies.localRateLimit());
            if (policies.jwtAuth() == null) {
                for (RateLimitConfig bucket : policies.localRateLimit()) {
                    RateLimitConfig.RateLimitKeyConfig key = bucket == null ? null : bucket.key();
                    if (key != null && key.claim() != null && !key.claim().isEmpty()
                            && key.header() == null && key.ip() == null) {
                        report.error(key, "claim", "keys by a JWT claim, so the route needs jwtAuth "
                                + "(without it every request would be keyed by client IP)");
                    }
                }
            }
        }
        if (policies.backendTLS() != null) {
            new BackendTlsValidator(report).validate(policies.backendTLS());
        }
        if (policies.cors() != null) {
            new CorsValidator(report).validate(policies.cors());
        }
        if (policies.authorization() != null) {
            new AuthorizationValidator(report).validate(policies.authorization());
        }
    }

    /** Backoff needs no check: the duration syntax has no sign, so it is never negative. */
    private void retry(RetryConfig retry) {
        report.range(retry, "attempts", retry.attempts(), 1, 10);
        List<Integer> codes = retry.codes();
        for (int i = 0; codes != null && i < codes.size(); i++) {
            Integer code = codes.get(i);
            if (code != null && (code < 100 || code > 599)) {
                report.errorAt(SourceMap.element(report.path(retry, "codes"), i), code + " (expected: 100-599)");
            }
        }
    }

    private void authority(AuthorityRewriteConfig authority) {
        if (authority == null) {
            return;
        }
        report.exactlyOne(authority, "full, host, port", authority.full(), authority.host(), authority.port());
        if (authority.full() != null && HostPort.parseAuthority(authority.full(), 0) == null) {
            report.error(authority, "full", Scalars.quote(authority.full()) + " (expected: host[:port])");
        }
        String host = authority.host();
        if (host != null && !Syntax.isHostname(host) && !Syntax.isIpv6(host)) {
            report.error(authority, "host", Scalars.quote(host) + " (expected: a host name or IP address)");
        }
        report.range(authority, "port", authority.port(), 1, 65535);
    }

    private void path(PathRewriteConfig path) {
        if (path == null) {
            return;
        }
        report.exactlyOne(path, "full, prefix", path.full(), path.prefix());
        report.absolutePath(path, "full", path.full());
        report.absolutePath(path, "prefix", path.prefix());
    }

    private void headerModifier(HeaderModifierConfig modifier, boolean request) {
        headerMap(modifier, "add", modifier.add(), request);
        headerMap(modifier, "set", modifier.set(), request);
        List<String> remove = modifier.remove();
        for (int i = 0; remove != null && i < remove.size(); i++) {
            String name = remove.get(i);
            String problem = name == null ? null
                    : request && name.equalsIgnoreCase("host") ? "host cannot be removed (a request needs exactly one)"
                    : headerNameProblem(name);
            if (problem != null) {
                report.errorAt(SourceMap.element(report.path(modifier, "remove"), i), problem);
            }
        }
    }

    private void headerMap(HeaderModifierConfig modifier, String field, Map<String, String> headers, boolean request) {
        if (headers == null) {
            return;
        }
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String path = SourceMap.child(report.path(modifier, field), name);
            String problem = headerNameProblem(name);
            String previous = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (problem == null && previous != null) {
                problem = "same header as " + previous + " (header names are case-insensitive)";
            }
            if (problem == null && request && field.equals("add") && name.equalsIgnoreCase("host")) {
                problem = "host cannot be added, only set (a request needs exactly one)";
            }
            if (problem == null && !Syntax.isHeaderValue(header.getValue())) {
                problem = "value contains CR, LF or NUL";
            }
            if (problem != null) {
                report.errorAt(path, problem);
            }
        }
    }

    private static String headerNameProblem(String name) {
        if (name.startsWith(":")) {
            return Scalars.quote(name) + ": pseudo-headers cannot be modified";
        }
        if (!Syntax.isToken(name)) {
            return Scalars.quote(name) + " is not a valid header name";
        }
        if (MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            return "`" + name + "` is managed by the proxy and cannot be modified";
        }
        return null;
    }
}
