package io.portcullis.policy.cors;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.portcullis.config.GoDuration;
import io.portcullis.config.policy.CorsConfig;
import io.portcullis.http.LocalReplies;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code cors}, with agentgateway's semantics (which follow Envoy's with {@code forwardNotMatchingPreflights:
 * false}):
 * <ul>
 *   <li>no {@code Origin}: nothing to decide;</li>
 *   <li>a preflight ({@code OPTIONS} with {@code Origin} and a non-empty {@code Access-Control-Request-Method})
 *       is always answered by the gateway with 200 and an empty body, never forwarded: with
 *       {@code Access-Control-Allow-Origin} (the request's origin echoed), {@code -Allow-Methods},
 *       {@code -Allow-Headers}, {@code -Max-Age}, {@code -Allow-Credentials} and {@code -Expose-Headers} as
 *       configured when the origin is allowed, and with no CORS headers when it is not;</li>
 *   <li>any other request from an allowed origin gets {@code Access-Control-Allow-Origin} (echoed),
 *       {@code -Allow-Credentials} and {@code -Expose-Headers} on its response, also on a local reply of a
 *       later policy (a 401 or 429), so the browser lets the page read why it failed; from another origin it
 *       passes without CORS headers.</li>
 * </ul>
 * A wildcard {@code allowMethods} / {@code allowHeaders} answers a preflight with what it asked for (so it also
 * works with credentials, where browsers take {@code *} literally), or {@code *} when it asked for nothing and
 * credentials are off.
 *
 * <p>Portcullis additions (seed 003, "the gateway owns CORS"): every response of the route loses the
 * {@code Access-Control-*} headers the backend sent, so a backend can never widen the policy, and carries
 * {@code Vary: Origin} whenever some origin is allowed, since the answer then depends on the origin.
 * One deliberate difference: agentgateway also answers a bare {@code OPTIONS} (no {@code Access-Control-Request-Method}) from an allowed
 * origin locally; Portcullis, like Envoy, forwards it, because it is an actual request, not a preflight.
 *
 * <p>Header values are built at load. Per request without {@code Origin}: one header lookup, then a shared
 * response action is registered (the backend's CORS headers must go whatever the request); with an
 * {@code Origin} spelled as browsers spell it, one hash lookup decides. Immutable, shared by all event loops.
 */
public final class CorsPolicy implements Policy {
    private static final String PREFLIGHT = "cors_preflight";
    private static final String PREFLIGHT_REFUSED = "cors_preflight_refused";

    private final AllowedOrigins origins;
    private final boolean credentials;
    /** The configured lists as header values; null when not configured or when echoing. */
    private final AsciiString allowMethods;
    private final AsciiString allowHeaders;
    /** {@code *} was configured: a preflight is answered with what it asked for. */
    private final boolean echoMethods;
    private final boolean echoHeaders;
    private final AsciiString exposeHeaders;
    private final AsciiString maxAge;
    /** What a response that gets no CORS headers gets: the backend's removed, {@code Vary: Origin} if it varies. */
    private final Consumer<HttpHeaders> withoutCors;

    private CorsPolicy(CorsConfig config) {
        this.origins = AllowedOrigins.compile(config.allowOrigins());
        this.credentials = Boolean.TRUE.equals(config.allowCredentials());
        this.echoMethods = config.allowMethods() != null && config.allowMethods().contains("*");
        this.echoHeaders = config.allowHeaders() != null && config.allowHeaders().contains("*");
        this.allowMethods = echoMethods ? null : CorsHeaders.listValue(config.allowMethods(), false);
        this.allowHeaders = echoHeaders ? null : CorsHeaders.listValue(config.allowHeaders(), true);
        this.exposeHeaders = CorsHeaders.listValue(config.exposeHeaders(), true);
        this.maxAge = config.maxAge() == null ? null : AsciiString.cached(Long.toString(maxAgeSeconds(config.maxAge())));
        this.withoutCors = origins.none() ? CorsHeaders::strip : CorsPolicy::stripAndVary;
    }

    public static CorsPolicy compile(CorsConfig config) {
        return new CorsPolicy(Objects.requireNonNull(config, "config"));
    }

    /**
     * {@code maxAge}: whole seconds ({@code 600}) or a Go duration ({@code 10m}), sent as whole seconds
     * (truncated, as agentgateway does).
     *
     * @throws IllegalArgumentException for other text; the validator refuses it at load
     */
    static long maxAgeSeconds(String text) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(text);
        }
        return GoDuration.parse(text).getSeconds();
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        HttpRequest request = ctx.request();
        HttpHeaders headers = request.headers();
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null || origin.isEmpty()) {
            ctx.onResponse(withoutCors);
            return PolicyResult.CONTINUE;
        }
        boolean preflight = HttpMethod.OPTIONS.equals(request.method())
                && !headers.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "").isEmpty();
        boolean allowed = origins.allows(origin);
        if (preflight) {
            return allowed ? PolicyResult.respond(preflight(origin, headers), PREFLIGHT)
                    : PolicyResult.respond(refusedPreflight(), PREFLIGHT_REFUSED);
        }
        ctx.onResponse(allowed ? response -> addActual(response, origin) : withoutCors);
        return PolicyResult.CONTINUE;
    }

    private FullHttpResponse preflight(String origin, HttpHeaders request) {
        FullHttpResponse reply = LocalReplies.empty(HttpResponseStatus.OK);
        HttpHeaders headers = reply.headers();
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        CharSequence methods = !echoMethods ? allowMethods
                : echoOrWildcard(CorsHeaders.requestedMethod(request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)));
        setIfPresent(headers, HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
        CharSequence allowed = !echoHeaders ? allowHeaders
                : echoOrWildcard(CorsHeaders.requestedHeaders(request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)));
        setIfPresent(headers, HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowed);
        setIfPresent(headers, HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge);
        if (credentials) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, CorsHeaders.TRUE);
        }
        setIfPresent(headers, HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
        CorsHeaders.varyOnOrigin(headers);
        return reply;
    }

    /** Not forwarded (the backend would only be asked what the gateway decides), and no CORS headers. */
    private FullHttpResponse refusedPreflight() {
        FullHttpResponse reply = LocalReplies.empty(HttpResponseStatus.OK);
        if (!origins.none()) {
            CorsHeaders.varyOnOrigin(reply.headers());
        }
        return reply;
    }

    /** What was asked for; else {@code *}, which browsers only honour without credentials. */
    private CharSequence echoOrWildcard(String requested) {
        return requested != null ? requested : credentials ? null : CorsHeaders.WILDCARD;
    }

    private void addActual(HttpHeaders response, String origin) {
        CorsHeaders.strip(response);
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if (credentials) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, CorsHeaders.TRUE);
        }
        setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
        CorsHeaders.varyOnOrigin(response);
    }

    private static void stripAndVary(HttpHeaders response) {
        CorsHeaders.strip(response);
        CorsHeaders.varyOnOrigin(response);
    }

    private static void setIfPresent(HttpHeaders headers, CharSequence name, CharSequence value) {
        if (value != null) {
            headers.set(name, value);
        }
    }
}
