package io.portcullis.policy.jwt;

import static io.portcullis.testing.JwtTools.jwk;
import static io.portcullis.testing.JwtTools.map;
import static io.portcullis.testing.JwtTools.now;
import static io.portcullis.testing.JwtTools.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.Http;
import io.portcullis.testing.JwtTools;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where {@code jwtAuth} finds the token (Authorization, another header, a query parameter, a cookie) and
 * that it removes it before forwarding unless {@code backendAuth: {passthrough: {}}}; the three modes; the
 * HS256 {@code secret} extension and the secrets the load refuses without printing them.
 */
@Timeout(60)
class JwtLocationsIT {
    static final String ISSUER = "https://issuer.portcullis.test";
    static final String HS_ISSUER = "https://hs.portcullis.test";

    @TempDir
    static Path dir;
    static Path key;
    static String hsSecret;
    static String token;
    /** Signed by a key that is not in the key set. */
    static String badToken;

    static TestBackend backend;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        key = JwtTools.ecP256(dir, "issuer");
        Path stranger = JwtTools.ecP256(dir, "stranger");
        hsSecret = DpopRfc9449IT.randomSecret(48);
        long now = now();
        List<String> tokens = JwtTools.mintAll(List.of(
                spec("ES256", key, map("kid", "k1"), map("iss", ISSUER, "sub", "alice", "iat", now, "exp", now + 600)),
                spec("ES256", stranger, map("kid", "k1"), map("iss", ISSUER, "sub", "mallory", "iat", now,
                        "exp", now + 600))));
        token = tokens.get(0);
        badToken = tokens.get(1);
        String jwks = JwtTools.jwks(List.of(jwk(key, "k1", "ES256")));

        backend = new TestBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: query
                      matches:
                      - path: {pathPrefix: /query}
                      policies:
                        jwtAuth:
                          mode: strict
                          location:
                            queryParameter: {name: access_token}
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: cookie
                      matches:
                      - path: {pathPrefix: /cookie}
                      policies:
                        jwtAuth:
                          mode: strict
                          location:
                            cookie: {name: session}
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: header
                      matches:
                      - path: {pathPrefix: /header}
                      policies:
                        jwtAuth:
                          mode: strict
                          location:
                            header: {name: X-Api-Token}
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: passthrough
                      matches:
                      - path: {pathPrefix: /passthrough}
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: %2$s
                          jwks: '%3$s'
                        backendAuth:
                          passthrough: {}
                      backends:
                      - host: %1$s
                    - name: strict
                      matches:
                      - path: {pathPrefix: /strict}
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: optional
                      matches:
                      - path: {pathPrefix: /optional}
                      policies:
                        jwtAuth:
                          mode: optional
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: optional-query
                      matches:
                      - path: {pathPrefix: /opt-query}
                      policies:
                        jwtAuth:
                          mode: optional
                          location:
                            queryParameter: {name: access_token}
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: optional-cookie
                      matches:
                      - path: {pathPrefix: /opt-cookie}
                      policies:
                        jwtAuth:
                          mode: optional
                          location:
                            cookie: {name: session}
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: permissive
                      matches:
                      - path: {pathPrefix: /permissive}
                      policies:
                        jwtAuth:
                          mode: permissive
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                    - name: hs256
                      matches:
                      - path: {pathPrefix: /hs}
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: %4$s
                          secret: %5$s
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort(), ISSUER, jwks, HS_ISSUER, hsSecret));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    // ---------------------------------------------------------------- helpers

    /** Sends the request; asserts 200 from the backend and returns the request head the backend saw. */
    static io.netty.handler.codec.http.HttpRequest forwarded(String path, String... headers) throws Exception {
        int before = backend.requests();
        Http.Response r = Http.get(gateway.url(path), headers);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
        assertThat(backend.requests()).isEqualTo(before + 1);
        return backend.lastRequest();
    }

    static Http.Response refused(String path, String... headers) throws Exception {
        int before = backend.requests();
        Http.Response r = Http.get(gateway.url(path), headers);
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(backend.requests()).as("refused requests never reach the backend").isEqualTo(before);
        return r;
    }

    static void assertInvalidToken(Http.Response r, String reason) {
        assertThat(r.body()).isEqualTo("unauthorized: " + reason + "\n");
        assertThat(r.header("www-authenticate")).startsWith("Bearer realm=\"portcullis\"")
                .contains("error=\"invalid_token\"");
    }

    // ---------------------------------------------------------------- locations

    @Test
    void tokenInAQueryParameterIsRemovedFromTheForwardedUri() throws Exception {
        assertThat(forwarded("/query/items?a=1&access_token=" + token + "&b=two").uri()).isEqualTo("/query/items?a=1&b=two");
        assertThat(forwarded("/query/items?access_token=" + token).uri()).isEqualTo("/query/items");
        assertThat(forwarded("/query/items?access_token=" + token + "&x=%2F").uri()).isEqualTo("/query/items?x=%2F");
    }

    @Test
    void tokenInAQueryParameterIsRequiredThere() throws Exception {
        assertThat(refused("/query/items?a=1").body()).isEqualTo("unauthorized: missing token\n");
        // the Authorization header is not where this route looks
        assertThat(refused("/query/items", "Authorization", "Bearer " + token).body())
                .isEqualTo("unauthorized: missing token\n");
        assertInvalidToken(refused("/query/items?access_token=" + badToken), "token signature invalid");
    }

    @Test
    void tokenInAPercentEncodedQueryParameterNameIsAlsoRemoved() throws Exception {
        // access%5Ftoken decodes to access_token: the gateway finds and accepts the token under that name, so
        // it must also remove it; otherwise the client's credential reaches the backend.
        String uri = forwarded("/query/items?a=1&access%5Ftoken=" + token).uri();
        assertThat(uri).doesNotContain(token);
        assertThat(uri).isEqualTo("/query/items?a=1");
    }

    @Test
    void tokenAfterASemicolonSeparatorIsAlsoRemoved() throws Exception {
        // The query decoder the gateway reads the token with splits on ';' as well as '&': if it accepts the
        // token there, it must remove it from there (or else not accept it).
        int before = backend.requests();
        Http.Response r = Http.get(gateway.url("/query/items?a=1;access_token=" + token));
        if (r.status() == 200) {
            assertThat(backend.requests()).isEqualTo(before + 1);
            assertThat(backend.lastRequest().uri()).doesNotContain(token).startsWith("/query/items?a=1");
        } else {
            assertThat(r.status()).isEqualTo(401);
            assertThat(backend.requests()).isEqualTo(before);
        }
    }

    @Test
    void tokenInACookieIsRemovedAndOtherCookiesAreKept() throws Exception {
        io.netty.handler.codec.http.HttpRequest seen = forwarded("/cookie/x",
                "Cookie", "theme=dark; session=" + token + "; lang=en");
        assertThat(seen.headers().getAll("cookie")).containsExactly("theme=dark; lang=en");
        assertThat(forwarded("/cookie/x", "Cookie", "session=" + token).headers().contains("cookie")).isFalse();
        assertThat(forwarded("/cookie/x", "Cookie", "session=" + token + ";theme=dark").headers().getAll("cookie"))
                .containsExactly("theme=dark");
    }

    @Test
    void cookieLocationRefusesMissingAndBadTokens() throws Exception {
        assertThat(refused("/cookie/x", "Cookie", "theme=dark").body()).isEqualTo("unauthorized: missing token\n");
        assertInvalidToken(refused("/cookie/x", "Cookie", "session=" + badToken), "token signature invalid");
    }

    @Test
    void tokenInACustomHeaderIsRemoved() throws Exception {
        io.netty.handler.codec.http.HttpRequest seen = forwarded("/header/x", "X-Api-Token", token, "X-Other", "kept");
        assertThat(seen.headers().contains("x-api-token")).isFalse();
        assertThat(seen.headers().get("x-other")).isEqualTo("kept");
    }

    @Test
    void authorizationIsRemovedByDefault() throws Exception {
        assertThat(forwarded("/strict/x", "Authorization", "Bearer " + token).headers().contains("authorization")).isFalse();
    }

    @Test
    void passthroughKeepsTheAuthorizationHeader() throws Exception {
        io.netty.handler.codec.http.HttpRequest seen = forwarded("/passthrough/x", "Authorization", "Bearer " + token);
        assertThat(seen.headers().getAll("authorization")).containsExactly("Bearer " + token);
        assertInvalidToken(refused("/passthrough/x", "Authorization", "Bearer " + badToken), "token signature invalid");
    }

    // ---------------------------------------------------------------- modes

    @Test
    void strictWithoutTokenIsRefusedWithABareChallenge() throws Exception {
        Http.Response r = refused("/strict/x");
        assertThat(r.body()).isEqualTo("unauthorized: missing token\n");
        // RFC 6750 section 3.1: no error code when the request had no authentication information
        assertThat(r.headers("www-authenticate")).containsExactly("Bearer realm=\"portcullis\"");
        // another scheme is no bearer token either
        assertThat(refused("/strict/x", "Authorization", "Basic YWxpY2U6c2VjcmV0").body())
                .isEqualTo("unauthorized: missing token\n");
    }

    @Test
    void strictWithBadTokenIsRefused() throws Exception {
        assertInvalidToken(refused("/strict/x", "Authorization", "Bearer " + badToken), "token signature invalid");
        assertInvalidToken(refused("/strict/x", "Authorization", "Bearer not.a.jwt"), "malformed token");
    }

    @Test
    void optionalWithoutTokenIsForwarded() throws Exception {
        assertThat(forwarded("/optional/x").headers().contains("authorization")).isFalse();
    }

    @Test
    void optionalWithValidTokenIsForwardedWithoutIt() throws Exception {
        assertThat(forwarded("/optional/x", "Authorization", "Bearer " + token).headers().contains("authorization")).isFalse();
    }

    @Test
    void optionalWithBadTokenIsRefused() throws Exception {
        assertInvalidToken(refused("/optional/x", "Authorization", "Bearer " + badToken), "token signature invalid");
        assertInvalidToken(refused("/optional/x", "Authorization", "Bearer garbage"), "malformed token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"header", "query", "cookie"})
    void optionalWithTheTokenSentTwiceIsRefusedNotForwardedUnchecked(String where) throws Exception {
        // Two credentials are ambiguous, so the gateway validates neither. In optional mode that must not mean
        // "no credential, forward": the backend would receive two tokens nobody checked (a bad token is refused
        // when sent once, so sending it twice must not get it through).
        int before = backend.requests();
        Http.Response r = switch (where) {
            case "header" -> Http.get(gateway.url("/optional/x"),
                    "Authorization", "Bearer " + badToken, "Authorization", "Bearer " + badToken);
            case "query" -> Http.get(gateway.url("/opt-query/x?access_token=" + badToken + "&access_token=" + badToken));
            default -> Http.get(gateway.url("/opt-cookie/x"), "Cookie", "session=" + badToken + "; session=" + badToken);
        };
        // 401 invalid_token, or 400 invalid_request as RFC 6750 section 3.1 has it for ambiguous credentials
        assertThat(r.status()).as("duplicate %s token in optional mode: %s", where, r).isIn(400, 401);
        assertThat(backend.requests()).as("an unchecked token reached the backend").isEqualTo(before);
    }

    @Test
    void permissiveWithBadTokenIsForwarded() throws Exception {
        forwarded("/permissive/x", "Authorization", "Bearer " + badToken);
        forwarded("/permissive/x", "Authorization", "Bearer garbage");
        forwarded("/permissive/x");
        assertThat(forwarded("/permissive/x", "Authorization", "Bearer " + token).headers().contains("authorization"))
                .isFalse();
    }

    // ---------------------------------------------------------------- HS256 secret

    @Test
    void hs256WithTheConfiguredSecretIsAccepted() throws Exception {
        long now = now();
        Map<String, Object> good = spec("HS256", null, map(), map("iss", HS_ISSUER, "sub", "svc", "exp", now + 600));
        good.put("secret", hsSecret);
        assertThat(forwarded("/hs/x", "Authorization", "Bearer " + JwtTools.mint(good)).headers()
                .contains("authorization")).isFalse();

        Map<String, Object> otherSecret = spec("HS256", null, map(), map("iss", HS_ISSUER, "exp", now + 600));
        otherSecret.put("secret", DpopRfc9449IT.randomSecret(48));
        assertInvalidToken(refused("/hs/x", "Authorization", "Bearer " + JwtTools.mint(otherSecret)),
                "token signature invalid");

        Map<String, Object> hs512 = spec("HS512", null, map(), map("iss", HS_ISSUER, "exp", now + 600));
        hs512.put("secret", hsSecret);
        assertInvalidToken(refused("/hs/x", "Authorization", "Bearer " + JwtTools.mint(hs512)),
                "token algorithm not allowed");

        // an asymmetric token to an issuer with only a shared secret
        assertInvalidToken(refused("/hs/x", "Authorization", "Bearer " + JwtTools.mint(spec("ES256", key, map("kid", "k1"),
                map("iss", HS_ISSUER, "exp", now + 600)))), "token algorithm not allowed");
    }

    private static String secretConfig(String secret) {
        return """
                binds:
                - port: 0
                  listeners:
                  - routes:
                    - name: r
                      policies:
                        jwtAuth:
                          issuer: https://issuer.example
                          secret: "%s"
                      backends:
                      - host: 127.0.0.1:9
                """.formatted(secret);
    }

    private static final String SECRET_PATH = "binds[0].listeners[0].routes[0].policies.jwtAuth.secret: ";

    @Test
    void secretNamedSecretFailsTheLoadWithoutPrintingIt() throws Exception {
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(secretConfig("secret"), "t.yaml",
                Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as("`secret: secret` must fail the load").isNotNull();
        assertThat(e.errors()).hasSize(1);
        String message = e.errors().get(0);
        assertThat(message).startsWith(SECRET_PATH).endsWith(" at line 9");
        // the only "secret" in the message is the key in the path
        assertThat(message.substring(SECRET_PATH.length())).contains("too short").doesNotContainIgnoringCase("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"please-change-this-secret-in-production", "0123456789abcdef0123456789abcdef",
            "abababababababababababababababababababab"})
    void longButWellKnownOrMonotonousSecretsFailTheLoadWithoutPrintingThem(String secret) throws Exception {
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(secretConfig(secret), "t.yaml",
                Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as(secret).isNotNull();
        assertThat(e.errors()).singleElement().asString().startsWith(SECRET_PATH).endsWith(" at line 9");
        assertThat(e.getMessage()).doesNotContain(secret);
    }

    @Test
    void dpopNonceSecretIsCheckedTheSameWay() throws Exception {
        String yaml = """
                binds:
                - port: 0
                  listeners:
                  - routes:
                    - name: r
                      policies:
                        jwtAuth:
                          issuer: https://issuer.example
                          secret: %s
                          dpop:
                            nonce: {secret: short-nonce-secret}
                      backends:
                      - host: 127.0.0.1:9
                """.formatted(hsSecret);
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(yaml, "t.yaml",
                Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.errors()).singleElement().asString()
                .startsWith("binds[0].listeners[0].routes[0].policies.jwtAuth.dpop.nonce.secret: too short");
        assertThat(e.getMessage()).doesNotContain("short-nonce-secret").doesNotContain(hsSecret);
    }

    @Test
    void validSecretLoads() throws Exception {
        assertThat(ConfigLoader.parse(secretConfig(hsSecret), "t.yaml", Map.<String, String>of()::get)).isNotNull();
    }
}
