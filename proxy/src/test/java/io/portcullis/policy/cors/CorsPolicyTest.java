package io.portcullis.policy.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.policy.CorsConfig;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import io.portcullis.routing.RequestView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decisions of {@code cors} and the headers it writes. A policy is not a channel handler, so it is driven
 * directly: {@link #run} applies it to a request and, when it lets the request through, applies the response
 * changes it registered to a response head as a backend would send it. The wiring through the real pipeline
 * is covered by {@code CorsIT}.
 */
class CorsPolicyTest {
    private static final String APP = "https://app.example.com";

    /** What the policy did: its local reply, or the backend response head after its changes. */
    record Outcome(PolicyResult result, HttpHeaders headers, boolean registered) {
        boolean answeredLocally() {
            return !result.isContinue();
        }

        String get(String name) {
            List<String> all = headers.getAll(name);
            return all.isEmpty() ? null : String.join(" | ", all);
        }

        List<String> corsHeaderNames() {
            List<String> names = new ArrayList<>();
            headers.names().stream().filter(n -> n.toLowerCase().startsWith("access-control-")).forEach(names::add);
            return names;
        }
    }

    static CorsConfig config(Boolean credentials, List<String> headers, List<String> methods, List<String> origins,
                             List<String> expose, String maxAge) {
        return new CorsConfig(credentials, headers, methods, origins, expose, maxAge);
    }

    /** The config of most tests: one origin, fixed lists, credentials on. */
    static CorsPolicy typical() {
        return CorsPolicy.compile(config(true, List.of("Content-Type", "X-Api-Key"), List.of("GET", "PUT"),
                List.of(APP, "https://*.partner.test"), List.of("X-Request-Id"), "10m"));
    }

    static HttpRequest request(HttpMethod method, String... headerPairs) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/api");
        request.headers().set("host", "gw.test");
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.headers().add(headerPairs[i], headerPairs[i + 1]);
        }
        return request;
    }

    /** A backend response head that tries to set CORS itself. */
    static HttpHeaders backendResponse() {
        return new DefaultHttpHeaders()
                .add("content-type", "application/json")
                .add("Access-Control-Allow-Origin", "*")
                .add("access-control-allow-credentials", "true")
                .add("Access-Control-Expose-Headers", "x-internal-secret")
                .add("Access-Control-Allow-Methods", "DELETE")
                .add("vary", "Accept-Encoding");
    }

    static Outcome run(CorsPolicy policy, HttpRequest request) {
        RequestContext rc = new RequestContext(request,
                new RequestView(request.method(), "/api", null, "gw.test", request.headers()), null,
                UnpooledByteBufAllocator.DEFAULT, "http", "127.0.0.1", false);
        PolicyResult result = policy.apply(rc);
        boolean registered = rc.hasResponseActions();
        if (!result.isContinue()) {
            FullHttpResponse reply = result.reply();
            // The chain applies registered changes to local replies too; a preflight must have none to apply.
            rc.applyResponseActions(reply.headers());
            HttpHeaders headers = reply.headers().copy();
            assertThat(reply.status().code()).isEqualTo(200);
            assertThat(reply.content().readableBytes()).isZero();
            ReferenceCountUtil.release(reply);
            return new Outcome(result, headers, registered);
        }
        HttpHeaders response = backendResponse();
        rc.applyResponseActions(response);
        return new Outcome(result, response, registered);
    }

    @Test
    void preflightFromAllowedOriginIsAnsweredWithTheConfiguredHeaders() {
        Outcome o = run(typical(), request(HttpMethod.OPTIONS, "Origin", APP,
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"));

        assertThat(o.answeredLocally()).isTrue();
        assertThat(o.result().reason()).isEqualTo("cors_preflight");
        assertThat(o.registered()).isFalse();
        assertThat(o.get("access-control-allow-origin")).isEqualTo(APP);
        assertThat(o.get("access-control-allow-methods")).isEqualTo("GET,PUT");
        assertThat(o.get("access-control-allow-headers")).isEqualTo("content-type,x-api-key");
        assertThat(o.get("access-control-max-age")).isEqualTo("600");
        assertThat(o.get("access-control-allow-credentials")).isEqualTo("true");
        assertThat(o.get("access-control-expose-headers")).isEqualTo("x-request-id");
        assertThat(o.get("vary")).isEqualTo("Origin");
        assertThat(o.get("content-length")).isEqualTo("0");
    }

    @Test
    void preflightFromWildcardHostOriginEchoesThatOrigin() {
        Outcome o = run(typical(), request(HttpMethod.OPTIONS, "Origin", "https://eu.partner.test",
                "Access-Control-Request-Method", "GET"));
        assertThat(o.get("access-control-allow-origin")).isEqualTo("https://eu.partner.test");
    }

    @Test
    void preflightFromOtherOriginIsAnsweredWithoutCorsHeadersAndNotForwarded() {
        Outcome o = run(typical(), request(HttpMethod.OPTIONS, "Origin", "https://evil.test",
                "Access-Control-Request-Method", "PUT"));

        assertThat(o.answeredLocally()).isTrue();
        assertThat(o.result().reason()).isEqualTo("cors_preflight_refused");
        assertThat(o.corsHeaderNames()).isEmpty();
        assertThat(o.get("vary")).isEqualTo("Origin");
    }

    @Test
    void wildcardMethodsAndHeadersAnswerWhatThePreflightAskedFor() {
        CorsPolicy policy = CorsPolicy.compile(config(null, List.of("*"), List.of("*"), List.of("*"), null, null));
        Outcome o = run(policy, request(HttpMethod.OPTIONS, "Origin", APP,
                "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "x-a,  X-B ,,"));

        assertThat(o.get("access-control-allow-origin")).isEqualTo(APP);
        assertThat(o.get("access-control-allow-methods")).isEqualTo("PATCH");
        assertThat(o.get("access-control-allow-headers")).isEqualTo("x-a, X-B");
        assertThat(o.get("access-control-allow-credentials")).isNull();
        assertThat(o.get("access-control-max-age")).isNull();
        assertThat(o.get("access-control-expose-headers")).isNull();
    }

    @Test
    void wildcardHeadersWithNothingAskedForAreStarOnlyWithoutCredentials() {
        HttpRequest preflight = request(HttpMethod.OPTIONS, "Origin", APP, "Access-Control-Request-Method", "GET");
        CorsPolicy anonymous = CorsPolicy.compile(config(false, List.of("*"), null, List.of(APP), null, null));
        assertThat(run(anonymous, preflight).get("access-control-allow-headers")).isEqualTo("*");
        assertThat(run(anonymous, preflight).get("access-control-allow-methods")).isNull();

        CorsPolicy credentialed = CorsPolicy.compile(config(true, List.of("*"), null, List.of(APP), null, null));
        // Browsers read * literally on credentialed requests, so say nothing rather than something wrong.
        assertThat(run(credentialed, preflight).get("access-control-allow-headers")).isNull();
    }

    @Test
    void actualRequestFromAllowedOriginGetsTheGatewaysHeadersInsteadOfTheBackends() {
        Outcome o = run(typical(), request(HttpMethod.GET, "Origin", APP));

        assertThat(o.answeredLocally()).isFalse();
        assertThat(o.get("access-control-allow-origin")).isEqualTo(APP);
        assertThat(o.get("access-control-allow-credentials")).isEqualTo("true");
        assertThat(o.get("access-control-expose-headers")).isEqualTo("x-request-id");
        assertThat(o.get("access-control-allow-methods")).as("preflight-only, and the backend's is removed").isNull();
        assertThat(o.get("vary")).isEqualTo("Accept-Encoding | Origin");
        assertThat(o.get("content-type")).isEqualTo("application/json");
    }

    @Test
    void actualRequestFromOtherOriginPassesWithoutAnyCorsHeaders() {
        Outcome o = run(typical(), request(HttpMethod.POST, "Origin", "https://evil.test"));

        assertThat(o.answeredLocally()).isFalse();
        assertThat(o.corsHeaderNames()).isEmpty();
        assertThat(o.get("vary")).isEqualTo("Accept-Encoding | Origin");
        assertThat(o.get("content-type")).isEqualTo("application/json");
    }

    @Test
    void requestWithoutOriginStillLosesTheBackendsCorsHeaders() {
        Outcome o = run(typical(), request(HttpMethod.GET));

        assertThat(o.answeredLocally()).isFalse();
        assertThat(o.corsHeaderNames()).isEmpty();
        // A cache must not serve this answer (without CORS headers) to a cross-origin request.
        assertThat(o.get("vary")).isEqualTo("Accept-Encoding | Origin");
    }

    @Test
    void optionsWithoutRequestMethodIsAnActualRequestAndForwarded() {
        Outcome o = run(typical(), request(HttpMethod.OPTIONS, "Origin", APP));
        assertThat(o.answeredLocally()).isFalse();
        assertThat(o.get("access-control-allow-origin")).isEqualTo(APP);

        Outcome blank = run(typical(), request(HttpMethod.OPTIONS, "Origin", APP, "Access-Control-Request-Method", ""));
        assertThat(blank.answeredLocally()).isFalse();
    }

    @Test
    void getWithRequestMethodHeaderIsNoPreflight() {
        Outcome o = run(typical(), request(HttpMethod.GET, "Origin", APP, "Access-Control-Request-Method", "PUT"));
        assertThat(o.answeredLocally()).isFalse();
    }

    @Test
    void noOriginAllowedMeansNoVaryButStillNoBackendCorsHeaders() {
        CorsPolicy closed = CorsPolicy.compile(config(null, null, null, null, null, null));
        Outcome o = run(closed, request(HttpMethod.GET, "Origin", APP));
        assertThat(o.corsHeaderNames()).isEmpty();
        assertThat(o.get("vary")).isEqualTo("Accept-Encoding");

        Outcome preflight = run(closed, request(HttpMethod.OPTIONS, "Origin", APP, "Access-Control-Request-Method", "GET"));
        assertThat(preflight.answeredLocally()).isTrue();
        assertThat(preflight.corsHeaderNames()).isEmpty();
        assertThat(preflight.get("vary")).isNull();
    }

    @Test
    void varyOriginIsAddedOnceAndNotNextToVaryStar() {
        HttpHeaders already = new DefaultHttpHeaders().add("Vary", "accept-encoding, ORIGIN");
        CorsHeaders.varyOnOrigin(already);
        assertThat(already.getAll("vary")).containsExactly("accept-encoding, ORIGIN");

        HttpHeaders star = new DefaultHttpHeaders().add("Vary", "*");
        CorsHeaders.varyOnOrigin(star);
        assertThat(star.getAll("vary")).containsExactly("*");
    }

    @Test
    void maxAgeIsSentInWholeSeconds() {
        assertThat(CorsPolicy.maxAgeSeconds("600")).isEqualTo(600);
        assertThat(CorsPolicy.maxAgeSeconds("0")).isZero();
        assertThat(CorsPolicy.maxAgeSeconds("10m")).isEqualTo(600);
        assertThat(CorsPolicy.maxAgeSeconds("1h30m")).isEqualTo(5400);
        assertThat(CorsPolicy.maxAgeSeconds("1.5s")).isEqualTo(1);
        assertThatThrownBy(() -> CorsPolicy.maxAgeSeconds("-5")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The validator and the matcher are separate code (config does not depend on the policies), so hold them
     * to the same idea of an origin: whatever loads compiles, and the malformed forms here are refused by both.
     */
    @Test
    void validatorAndMatcherAgreeOnWhatAnOriginIs() {
        List<String> origins = List.of("*", "https://app.example.com", "HTTP://Example.COM:8080", "https://*",
                "https://*.example.com", "http://api-*.example.com:8443", "http://10.0.0.1", "http://[::1]:3000",
                "http://[fe80::1]", "https://app.example.com/", "https://app.example.com/path", "app.example.com",
                "ftp://app.example.com", "https://", "https://:443", "https://a.example.com:0",
                "https://a.example.com:65536", "https://a.example.com:", "https://user@a.example.com",
                "https://a b.example.com", "http://[::1", "http://[zz::1]", "https://a.example.com?x", "null");
        for (String origin : origins) {
            boolean loads = loads(origin);
            CorsConfig config = config(null, null, null, List.of(origin), null, null);
            if (loads) {
                assertThatCode(() -> CorsPolicy.compile(config)).as(origin).doesNotThrowAnyException();
            } else {
                assertThatThrownBy(() -> CorsPolicy.compile(config)).as(origin).isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(loads("https://app.example.com")).isTrue();
        assertThat(loads("https://app.example.com/")).isFalse();
    }

    private static boolean loads(String origin) {
        String yaml = """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - policies:
                        cors:
                          allowOrigins: ["%s"]
                      backends:
                      - host: 127.0.0.1:9000
                """.formatted(origin);
        try {
            ConfigLoader.parse(yaml, "test.yaml", Map.<String, String>of()::get);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }
}
