package io.portcullis.routing;

import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.config.BackendConfig;
import io.portcullis.config.HeaderMatchConfig;
import io.portcullis.config.HostPort;
import io.portcullis.config.MatchConfig;
import io.portcullis.config.PathMatchConfig;
import io.portcullis.config.RouteConfig;
import io.portcullis.config.policy.AuthorityRewriteConfig;
import io.portcullis.config.policy.HeaderModifierConfig;
import io.portcullis.config.policy.PathRewriteConfig;
import io.portcullis.config.policy.PoliciesConfig;
import io.portcullis.config.policy.RetryConfig;
import io.portcullis.config.policy.TimeoutConfig;
import io.netty.handler.ssl.SslContext;
import io.portcullis.config.policy.BackendHttpConfig;
import io.portcullis.config.policy.BackendTlsConfig;
import io.portcullis.observability.Log;
import io.portcullis.policy.PolicyChain;
import io.portcullis.upstream.BackendTlsCompiler;
import javax.net.ssl.SSLException;
import io.portcullis.policy.authz.AuthorizationPolicy;
import io.portcullis.policy.cors.CorsPolicy;
import io.portcullis.policy.jwt.JwtAuthPolicy;
import io.portcullis.policy.ratelimit.LocalRateLimitPolicy;
import io.portcullis.policy.direct.DirectResponsePolicy;
import io.portcullis.policy.headers.HeaderModifier;
import io.portcullis.policy.headers.RequestHeaderModifierPolicy;
import io.portcullis.policy.rewrite.AuthorityRewrite;
import io.portcullis.policy.rewrite.PathRewrite;
import io.portcullis.policy.rewrite.RequestRedirectPolicy;
import io.portcullis.policy.rewrite.UrlRewritePolicy;
import io.portcullis.upstream.Backend;
import io.portcullis.upstream.BackendGroup;
import io.portcullis.upstream.UpstreamVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a validated {@link RouteConfig} into a {@link CompiledRoute}: regexes compiled, header names
 * interned, bodies encoded, backends parsed. Runs once per config load, never per request.
 */
public final class RouteCompiler {
    private final long defaultMaxBody;

    public RouteCompiler(long defaultMaxBody) {
        this.defaultMaxBody = defaultMaxBody;
    }

    public CompiledRoute compile(RouteConfig config, String fallbackName) {
        PoliciesConfig p = config.policies();
        String name = config.name() != null ? config.name() : fallbackName;
        return new CompiledRoute(
                name,
                HostnameMatcher.of(config.hostnames()),
                compileMatches(config.matches()),
                p == null ? PolicyChain.EMPTY : compilePolicies(p),
                p == null ? null : headerModifier(p.responseHeaderModifier()),
                compileBackends(config.backends(), p == null ? null : p.backendTLS()),
                forwardSettings(p));
    }

    private static List<CompiledMatch> compileMatches(List<MatchConfig> matches) {
        if (matches == null || matches.isEmpty()) {
            return List.of(CompiledMatch.everything());
        }
        List<CompiledMatch> out = new ArrayList<>(matches.size());
        for (MatchConfig m : matches) {
            CompiledMatch.PathKind kind = CompiledMatch.PathKind.PREFIX;
            String value = "/";
            PathMatchConfig path = m.path();
            if (path != null) {
                if (path.exact() != null) {
                    kind = CompiledMatch.PathKind.EXACT;
                    value = path.exact();
                } else if (path.regex() != null) {
                    kind = CompiledMatch.PathKind.REGEX;
                    value = path.regex();
                } else if (path.pathPrefix() != null) {
                    value = path.pathPrefix();
                }
            }
            out.add(new CompiledMatch(kind, value, m.method() == null ? null : HttpMethod.valueOf(m.method()),
                    valueMatchers(m.headers()), valueMatchers(m.query())));
        }
        return out;
    }

    private static List<ValueMatcher> valueMatchers(List<HeaderMatchConfig> configs) {
        if (configs == null) {
            return List.of();
        }
        List<ValueMatcher> out = new ArrayList<>(configs.size());
        for (HeaderMatchConfig h : configs) {
            out.add(h.value().exact() != null
                    ? ValueMatcher.exact(h.name(), h.value().exact())
                    : ValueMatcher.regex(h.name(), h.value().regex()));
        }
        return out;
    }

    private static PolicyChain compilePolicies(PoliciesConfig p) {
        HeaderModifier requestHeaders = headerModifier(p.requestHeaderModifier());
        return PolicyChain.of(
                p.cors() == null ? null : CorsPolicy.compile(p.cors()),
                p.jwtAuth() == null ? null : JwtAuthPolicy.compile(p.jwtAuth(), p.backendAuth()),
                p.authorization() == null ? null : AuthorizationPolicy.compile(p.authorization()),
                p.localRateLimit() == null || p.localRateLimit().isEmpty() ? null : LocalRateLimitPolicy.compile(p.localRateLimit()),
                requestHeaders == null ? null : new RequestHeaderModifierPolicy(requestHeaders),
                p.urlRewrite() == null ? null : new UrlRewritePolicy(
                        authority(p.urlRewrite().authority()), path(p.urlRewrite().path())),
                p.requestRedirect() == null ? null : new RequestRedirectPolicy(
                        p.requestRedirect().scheme(), authority(p.requestRedirect().authority()),
                        path(p.requestRedirect().path()), p.requestRedirect().status()),
                p.directResponse() == null ? null : new DirectResponsePolicy(
                        p.directResponse().status(), p.directResponse().body()));
    }

    private static HeaderModifier headerModifier(HeaderModifierConfig c) {
        return c == null ? null : new HeaderModifier(c.add(), c.set(), c.remove());
    }

    private static AuthorityRewrite authority(AuthorityRewriteConfig c) {
        return c == null ? null : new AuthorityRewrite(c.full(), c.host(), c.port());
    }

    private static PathRewrite path(PathRewriteConfig c) {
        return c == null ? null : new PathRewrite(c.full(), c.prefix());
    }

    /**
     * A route's backends. TLS when the route has {@code backendTLS} (for all its backends) or a backend is
     * written {@code https://} (then with the system's trust store and name checks); one context per route.
     */
    private static BackendGroup compileBackends(List<BackendConfig> configs, BackendTlsConfig tls) {
        if (configs == null || configs.isEmpty()) {
            return null;
        }
        BackendTlsConfig effective = tls;
        if (effective == null && configs.stream().anyMatch(c -> HostPort.isHttps(c.host()))) {
            effective = new BackendTlsConfig(null, null, null, null, null, null, null, null);
        }
        SslContext context = effective == null ? null : tlsContext(effective, false);
        SslContext http2Context = effective == null ? null : tlsContext(effective, true);
        List<Backend> backends = new ArrayList<>(configs.size());
        for (BackendConfig c : configs) {
            Backend plain = parseBackend(c.host(), c.weight() == null ? 1 : c.weight());
            boolean useTls = tls != null || HostPort.isHttps(c.host());
            backends.add(new Backend(plain.host(), plain.port(), plain.weight(),
                    useTls ? BackendTlsCompiler.forBackend(context, http2Context, effective, plain.host()) : null,
                    version(c)));
        }
        return new BackendGroup(backends);
    }

    private static UpstreamVersion version(BackendConfig c) {
        String version = c.policies() == null || c.policies().http() == null ? null : c.policies().http().version();
        if (BackendHttpConfig.HTTP_2.equals(version)) {
            return UpstreamVersion.HTTP2;
        }
        return BackendHttpConfig.HTTP_1_1.equals(version) ? UpstreamVersion.HTTP1 : UpstreamVersion.AUTO;
    }

    private static SslContext tlsContext(BackendTlsConfig tls, boolean http2) {
        if (!http2 && (Boolean.TRUE.equals(tls.insecure()) || Boolean.TRUE.equals(tls.insecureHost()))) {
            Log.warn("backendTLS with insecure" + (Boolean.TRUE.equals(tls.insecure()) ? "" : "Host")
                    + ": backend certificates are NOT fully verified; anyone on the path can impersonate the backend");
        }
        try {
            return BackendTlsCompiler.context(tls, http2);
        } catch (SSLException e) {
            // The validator built the same context; reaching here means the files changed since.
            throw new IllegalStateException("backendTLS: " + e.getMessage(), e);
        }
    }

    /** Parsed exactly as the validator accepted it (one parser for both). */
    static Backend parseBackend(String spec, int weight) {
        HostPort target = HostPort.parseBackend(spec);
        return new Backend(target.host(), target.port(), weight);
    }

    private ForwardSettings forwardSettings(PoliciesConfig p) {
        TimeoutConfig timeout = p == null ? null : p.timeout();
        RetryConfig retry = p == null ? null : p.retry();
        long maxBody = p != null && p.maxRequestBodySize() != null ? p.maxRequestBodySize().bytes() : defaultMaxBody;
        int[] codes = retry == null || retry.codes() == null
                ? new int[0] : retry.codes().stream().mapToInt(Integer::intValue).sorted().toArray();
        return new ForwardSettings(
                nanos(timeout == null ? null : timeout.requestTimeout()),
                nanos(timeout == null ? null : timeout.backendRequestTimeout()),
                maxBody,
                retry == null || retry.attempts() == null ? 1 : retry.attempts(),
                nanos(retry == null ? null : retry.backoff()),
                codes);
    }

    private static long nanos(Duration d) {
        return d == null ? 0 : d.toNanos();
    }
}
