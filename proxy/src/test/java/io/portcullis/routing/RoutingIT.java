package io.portcullis.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.ErrorStatusIT.Response;
import io.portcullis.server.ErrorStatusIT.Wire;
import io.portcullis.testing.Curl;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listener and route selection, matchers, redirects, direct responses, rewrites and load balancing through a
 * real gateway socket. Most routes answer with a {@code directResponse} naming the route, so the body shows
 * which route was chosen.
 */
@Timeout(30)
class RoutingIT {
    static TestBackend backend;
    static TestBackend light;
    static TestBackend heavy;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend();
        light = new TestBackend();
        heavy = new TestBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - name: wildcard
                    hostname: "*.example.com"
                    routes:
                    - name: only-a
                      hostnames: [a.example.com]
                      policies:
                        directResponse: {status: 200, body: "wildcard listener, route only-a"}
                    - name: wildcard-rest
                      policies:
                        directResponse: {status: 200, body: "wildcard listener, route wildcard-rest"}
                  - name: exact
                    hostname: api.example.com
                    routes:
                    - name: exact-all
                      policies:
                        directResponse: {status: 200, body: "exact listener"}
                  - name: default
                    routes:
                    - name: shadowing-prefix
                      matches:
                      - path: {pathPrefix: /first}
                      policies:
                        directResponse: {status: 200, body: "shadowing-prefix"}
                    - name: shadowed-exact
                      matches:
                      - path: {exact: /first/exact}
                      policies:
                        directResponse: {status: 200, body: "shadowed-exact"}
                    - name: post-only
                      matches:
                      - path: {exact: /m}
                        method: POST
                      policies:
                        directResponse: {status: 200, body: "post-only"}
                    - name: any-method
                      matches:
                      - path: {exact: /m}
                      policies:
                        directResponse: {status: 200, body: "any-method"}
                    - name: header-exact
                      matches:
                      - path: {exact: /h}
                        headers: [{name: x-env, value: {exact: prod}}]
                      policies:
                        directResponse: {status: 200, body: "header-exact"}
                    - name: header-regex
                      matches:
                      - path: {exact: /h}
                        headers: [{name: X-Env, value: {regex: "stag(e|ing)"}}]
                      policies:
                        directResponse: {status: 200, body: "header-regex"}
                    - name: header-none
                      matches:
                      - path: {exact: /h}
                      policies:
                        directResponse: {status: 200, body: "header-none"}
                    - name: query-numeric
                      matches:
                      - path: {exact: /q}
                        query: [{name: v, value: {regex: "[0-9]+"}}]
                      policies:
                        directResponse: {status: 200, body: "query-numeric"}
                    - name: query-other
                      matches:
                      - path: {exact: /q}
                      policies:
                        directResponse: {status: 200, body: "query-other"}
                    - name: regex-path
                      matches:
                      - path: {regex: "/items/[0-9]+"}
                      policies:
                        directResponse: {status: 200, body: "regex-path"}
                    - name: or-and
                      matches:
                      - path: {exact: /or1}
                      - path: {exact: /or2}
                        method: PUT
                        headers: [{name: x-k, value: {exact: v}}]
                      policies:
                        directResponse: {status: 200, body: "or-and"}
                    - name: host-scoped
                      hostnames: [special.test]
                      matches:
                      - path: {exact: /scoped}
                      policies:
                        directResponse: {status: 200, body: "host-scoped"}
                    - name: admin
                      matches:
                      - path: {pathPrefix: /admin}
                      policies:
                        directResponse: {status: 200, body: "admin"}
                    - name: public
                      matches:
                      - path: {pathPrefix: /public}
                      policies:
                        directResponse: {status: 200, body: "public"}
                    - name: to-https
                      matches:
                      - path: {pathPrefix: /old}
                      policies:
                        requestRedirect: {scheme: https, status: 301}
                    - name: moved
                      matches:
                      - path: {pathPrefix: /moved}
                      policies:
                        requestRedirect:
                          authority: {full: "new.example.net:8443"}
                          path: {prefix: /v2}
                    - name: health-json
                      matches:
                      - path: {exact: /health}
                      policies:
                        directResponse: {status: 200, body: '{"status":"ok"}'}
                    - name: teapot
                      matches:
                      - path: {exact: /teapot}
                      policies:
                        directResponse: {status: 418, body: "short and stout"}
                    - name: rewrite-full
                      matches:
                      - path: {pathPrefix: /rw-full}
                      policies:
                        urlRewrite:
                          path: {full: /headers}
                      backends:
                      - host: %1$s
                    - name: rewrite-authority
                      matches:
                      - path: {pathPrefix: /rw-auth}
                      policies:
                        urlRewrite:
                          path: {full: /headers}
                          authority: {full: "internal.svc:9000"}
                      backends:
                      - host: %1$s
                    - name: weighted
                      matches:
                      - path: {exact: /weighted}
                      policies:
                        urlRewrite:
                          path: {full: /json}
                      backends:
                      - host: %2$s
                        weight: 1
                      - host: %3$s
                        weight: 3
                    - name: api
                      matches:
                      - path: {pathPrefix: /api}
                      policies:
                        urlRewrite:
                          path: {prefix: /}
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort(), light.hostPort(), heavy.hostPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        light.close();
        heavy.close();
    }

    private static Curl.Result curl(String... args) throws IOException, InterruptedException {
        return Curl.within(5, args);
    }

    /** The body of a GET with the given Host header. */
    private static String bodyFor(String host, String path) throws Exception {
        Curl.Result r = curl("-H", "Host: " + host, gateway.url(path));
        return r.status() + " " + r.body();
    }

    private static Response raw(String request) throws IOException {
        try (Wire w = new Wire(gateway.port())) {
            return w.send(request).read();
        }
    }

    // ------------------------------------------------------------------ route order and matchers

    @Test
    void earlierPrefixRouteShadowsALaterExactRoute() throws Exception {
        assertThat(curl(gateway.url("/first/exact")).body()).isEqualTo("shadowing-prefix");
    }

    @Test
    void prefixMatchIsElementWise() throws Exception {
        assertThat(curl(gateway.url("/first")).body()).isEqualTo("shadowing-prefix");
        assertThat(curl(gateway.url("/first/")).body()).isEqualTo("shadowing-prefix");
        Curl.Result r = curl(gateway.url("/firstly"));
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void methodMatchSelectsTheRouteForThatMethodOnly() throws Exception {
        assertThat(curl("-X", "POST", gateway.url("/m")).body()).isEqualTo("post-only");
        assertThat(curl(gateway.url("/m")).body()).isEqualTo("any-method");
        assertThat(curl("-X", "DELETE", gateway.url("/m")).body()).isEqualTo("any-method");
    }

    @Test
    void headerMatchesExactAndRegexWithCaseInsensitiveNames() throws Exception {
        assertThat(curl("-H", "X-ENV: prod", gateway.url("/h")).body()).isEqualTo("header-exact");
        assertThat(curl("-H", "x-env: staging", gateway.url("/h")).body()).isEqualTo("header-regex");
        assertThat(curl("-H", "x-env: stage", gateway.url("/h")).body()).isEqualTo("header-regex");
        // exact is case-sensitive on the value; regex is a full match
        assertThat(curl("-H", "x-env: PROD", gateway.url("/h")).body()).isEqualTo("header-none");
        assertThat(curl("-H", "x-env: prestaging", gateway.url("/h")).body()).isEqualTo("header-none");
        assertThat(curl(gateway.url("/h")).body()).isEqualTo("header-none");
    }

    @Test
    void queryMatchIsAFullRegexMatchOnTheDecodedValue() throws Exception {
        assertThat(curl(gateway.url("/q?v=123")).body()).isEqualTo("query-numeric");
        assertThat(curl(gateway.url("/q?a=1&v=42")).body()).isEqualTo("query-numeric");
        assertThat(curl(gateway.url("/q?v=12a")).body()).isEqualTo("query-other");
        assertThat(curl(gateway.url("/q?w=1")).body()).isEqualTo("query-other");
        assertThat(curl(gateway.url("/q")).body()).isEqualTo("query-other");
    }

    @Test
    void regexPathMustMatchTheWholePath() throws Exception {
        assertThat(curl(gateway.url("/items/123")).body()).isEqualTo("regex-path");
        assertThat(curl(gateway.url("/items/abc")).status()).isEqualTo(404);
        assertThat(curl(gateway.url("/items/123/x")).status()).isEqualTo(404);
        assertThat(curl(gateway.url("/x/items/123")).status()).isEqualTo(404);
    }

    @Test
    void matchEntriesAreOredAndFieldsInsideOneEntryAnded() throws Exception {
        assertThat(curl(gateway.url("/or1")).body()).isEqualTo("or-and");
        assertThat(curl("-X", "PUT", "-H", "x-k: v", gateway.url("/or2")).body()).isEqualTo("or-and");
        assertThat(curl("-X", "PUT", gateway.url("/or2")).status()).as("header missing").isEqualTo(404);
        assertThat(curl("-H", "x-k: v", gateway.url("/or2")).status()).as("wrong method").isEqualTo(404);
    }

    // ------------------------------------------------------------------ hostnames

    @Test
    void exactListenerHostnameWinsOverAWildcardListedBeforeIt() throws Exception {
        assertThat(bodyFor("api.example.com", "/anything")).isEqualTo("200 exact listener");
    }

    @Test
    void wildcardListenerTakesOtherSubdomainsAndRouteHostnamesNarrowIt() throws Exception {
        assertThat(bodyFor("a.example.com", "/x")).isEqualTo("200 wildcard listener, route only-a");
        assertThat(bodyFor("b.example.com", "/x")).isEqualTo("200 wildcard listener, route wildcard-rest");
        assertThat(bodyFor("deep.b.example.com", "/x")).isEqualTo("200 wildcard listener, route wildcard-rest");
    }

    @Test
    void hostIsMatchedCaseInsensitivelyAndWithoutItsPort() throws Exception {
        assertThat(bodyFor("A.Example.COM:8080", "/x")).isEqualTo("200 wildcard listener, route only-a");
        assertThat(bodyFor("API.EXAMPLE.COM:443", "/x")).isEqualTo("200 exact listener");
    }

    @Test
    void wildcardDoesNotMatchTheBareDomainWhichFallsToTheDefaultListener() throws Exception {
        assertThat(bodyFor("example.com", "/admin")).isEqualTo("200 admin");
        assertThat(bodyFor("other.test", "/admin")).isEqualTo("200 admin");
    }

    @Test
    void routeHostnamesRestrictARouteToThoseHosts() throws Exception {
        assertThat(bodyFor("special.test", "/scoped")).isEqualTo("200 host-scoped");
        assertThat(curl("-H", "Host: other.test", gateway.url("/scoped")).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ normalisation

    @Test
    void dotSegmentsAreRemovedBeforeRouting() throws Exception {
        Response r = raw("GET /public/../admin HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.body()).isEqualTo("admin");
        assertThat(raw("GET /public/./x/../../admin/y HTTP/1.1\r\nHost: a\r\n\r\n").body()).isEqualTo("admin");
        assertThat(raw("GET /admin/../public HTTP/1.1\r\nHost: a\r\n\r\n").body()).isEqualTo("public");
        assertThat(raw("GET /../../admin HTTP/1.1\r\nHost: a\r\n\r\n").body()).as("no escape above the root").isEqualTo("admin");
    }

    @Test
    void percentEncodedDotSegmentsAreRemovedBeforeRouting() throws Exception {
        // RFC 3986 6.2.2.2: %2E is an encoded unreserved '.', so these are the same resource as /public/../admin
        assertThat(raw("GET /public/%2e%2e/admin HTTP/1.1\r\nHost: a\r\n\r\n").body()).isEqualTo("admin");
        assertThat(raw("GET /public/%2E%2E/admin HTTP/1.1\r\nHost: a\r\n\r\n").body()).isEqualTo("admin");
        assertThat(raw("GET /public/.%2e/admin HTTP/1.1\r\nHost: a\r\n\r\n").body()).isEqualTo("admin");
    }

    @Test
    void absoluteFormTargetSelectsTheListenerByItsAuthority() throws Exception {
        Response r = raw("GET http://api.example.com/x HTTP/1.1\r\nHost: other.test\r\n\r\n");
        assertThat(r.body()).isEqualTo("exact listener");
    }

    @Test
    void curlPathAsIsGetsTheSameNormalisation() throws Exception {
        assertThat(curl("--path-as-is", gateway.url("/public/../admin")).body()).isEqualTo("admin");
    }

    @Test
    void backendSeesTheNormalisedPath() throws Exception {
        Response r = raw("GET /api/x/../headers?k=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /headers?k=1\n");
    }

    // ------------------------------------------------------------------ redirects and direct responses

    @Test
    void schemeRedirectKeepsHostPathAndQuery() throws Exception {
        Response r = raw("GET /old/page?x=1&y=2 HTTP/1.1\r\nHost: shop.test\r\n\r\n");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("location")).isEqualTo("https://shop.test/old/page?x=1&y=2");
        assertThat(r.header("content-length")).isEqualTo("0");
    }

    @Test
    void schemeRedirectKeepsTheRequestAuthorityIncludingItsPort() throws Exception {
        // as agentgateway does (filters.rs rewrite_host): without an authority rewrite the Host is kept as sent
        Response r = raw("GET /old/page HTTP/1.1\r\nHost: shop.test:8080\r\n\r\n");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("location")).isEqualTo("https://shop.test:8080/old/page");
    }

    @Test
    void redirectWithAuthorityAndPrefixReplacesTheMatchedPrefix() throws Exception {
        Response r = raw("GET /moved/a/b?q=z HTTP/1.1\r\nHost: shop.test\r\n\r\n");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("location")).isEqualTo("http://new.example.net:8443/v2/a/b?q=z");
    }

    @Test
    void directResponseHasItsBodyStatusAndTextContentType() throws Exception {
        Response r = raw("GET /teapot HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.body()).isEqualTo("short and stout");
        assertThat(r.header("content-type")).startsWith("text/plain");
        assertThat(r.header("content-length")).isEqualTo("15");
    }

    @Test
    void jsonDirectResponseIsLabelledAsJson() throws Exception {
        Response r = raw("GET /health HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(r.header("content-type")).isEqualTo("application/json");
    }

    @Test
    void directResponsesKeepTheConnectionUsable() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            assertThat(w.send("GET /teapot HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(418);
            assertThat(w.send("GET /old/x HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(301);
            Response r = w.send("GET /api/json HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestBackend.JSON);
        }
    }

    // ------------------------------------------------------------------ rewrites

    @Test
    void fullPathRewriteReplacesThePathAndKeepsTheQuery() throws Exception {
        Curl.Result r = curl(gateway.url("/rw-full/some/thing?z=9"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /headers?z=9\n").contains("host: " + backend.hostPort() + "\n");
    }

    @Test
    void authorityRewriteSetsTheHostTheBackendSees() throws Exception {
        Curl.Result r = curl("-H", "Host: public.test", gateway.url("/rw-auth"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /headers\n").contains("host: internal.svc:9000\n")
                .doesNotContain("public.test");
    }

    // ------------------------------------------------------------------ load balancing

    @Test
    void weightedBackendsShareRequestsByWeight() throws Exception {
        int lightBefore = light.requests();
        int heavyBefore = heavy.requests();
        try (Wire w = new Wire(gateway.port())) {
            for (int i = 0; i < 400; i++) {
                Response r = w.send("GET /weighted HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
            }
        }
        int l = light.requests() - lightBefore;
        int h = heavy.requests() - heavyBefore;
        assertThat(l + h).isEqualTo(400);
        // expected 100 : 300; binomial sd ~ 8.7, so +-40 is more than 4 sd
        assertThat(l).isBetween(60, 140);
        assertThat(h).isBetween(260, 340);
    }

    // ------------------------------------------------------------------ HEAD and HTTP/1.0

    @Test
    void headResponseHasContentLengthButNoBodyAndTheConnectionStaysUsable() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response head = w.send("HEAD /api/json HTTP/1.1\r\nHost: a\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf(TestBackend.JSON.length()));
            assertThat(w.hasData()).as("no body bytes after a HEAD response").isFalse();
            Response get = w.send("GET /api/json HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(TestBackend.JSON);
        }
    }

    @Test
    void headToADirectResponseHasNoBodyAndTheConnectionStaysUsable() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response head = w.send("HEAD /teapot HTTP/1.1\r\nHost: a\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(418);
            assertThat(head.header("content-length")).isEqualTo("15");
            Response get = w.send("GET /teapot HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(get.status()).isEqualTo(418);
            assertThat(get.body()).isEqualTo("short and stout");
        }
    }

    @Test
    void http10KeepAliveIsHonouredForALengthDelimitedResponse() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response first = w.send("GET /api/json HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("connection")).isEqualToIgnoringCase("keep-alive");
            Response second = w.send("GET /api/json HTTP/1.0\r\n\r\n").read();
            assertThat(second.body()).isEqualTo(TestBackend.JSON);
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void curlHeadGetsHeadersOnly() throws Exception {
        Curl.Result r = curl("-I", gateway.url("/api/json"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().toLowerCase()).contains("content-length: " + TestBackend.JSON.length()).doesNotContain("bench-backend");
    }

    @Test
    void http10RequestWithoutHostGetsAReadableResponse() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("GET /api/json HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestBackend.JSON);
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(w.closedWithin(2000)).as("HTTP/1.0 without keep-alive ends with a close").isTrue();
        }
    }

    @Test
    void curlHttp10Works() throws Exception {
        Curl.Result r = curl("--http1.0", gateway.url("/api/json"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
    }

    @Test
    void chunkedBackendResponseIsSentUnchunkedToHttp10AndEndedByClose() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("GET /api/download?size=100000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            // read until close: exactly the payload, no chunk-size lines in it (the payload bytes are arbitrary)
            assertThat(r.body()).hasSize(100_000);
        }
    }

    @Test
    void chunkedEchoToHttp10CarriesTheRawBody() throws Exception {
        try (Wire w = new Wire(gateway.port())) {
            Response r = w.send("POST /api/echo HTTP/1.0\r\nContent-Length: 11\r\n\r\nhello world").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.body()).isEqualTo("hello world");
            assertThat(w.closedWithin(2000)).isTrue();
        }
    }
}
