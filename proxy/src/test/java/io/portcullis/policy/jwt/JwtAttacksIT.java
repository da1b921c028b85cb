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
import io.portcullis.testing.RawHttp;
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
 * The classic JWT attacks against {@code jwtAuth}, each over real sockets with tokens minted by PyJWT (or by
 * hand in python where PyJWT refuses to make them) and keys made by openssl: every one is refused with 401,
 * the fixed reason and RFC 6750's {@code error="invalid_token"}, and never reaches the backend. Also: the
 * algorithms that must work, JWKS problems that must fail the load, and issuers that share a kid.
 */
@Timeout(60)
class JwtAttacksIT {
    static final String ISSUER = "https://issuer.portcullis.test";
    static final String AUDIENCE = "portcullis-tests";
    static final String ISSUER_A = "https://a.portcullis.test";
    static final String ISSUER_B = "https://b.portcullis.test";

    @TempDir
    static Path dir;
    static Path rsa;
    static Path rsaPub;
    static Path rsaRs256Only;
    static Path ec;
    static Path ed;
    static Path attacker;
    static Path keyA;
    static Path keyB;
    static Path weakRsa;
    static String mainJwks;

    static TestBackend backend;
    /** Stands in for an attacker's key server named in jku / x5u: it must never see a request. */
    static TestBackend keyServer;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        rsa = JwtTools.rsa(dir, "rsa", 2048);
        rsaPub = JwtTools.publicPem(rsa);
        rsaRs256Only = JwtTools.rsa(dir, "rsa-rs256", 2048);
        ec = JwtTools.ecP256(dir, "ec");
        ed = JwtTools.ed25519(dir, "ed");
        attacker = JwtTools.rsa(dir, "attacker", 2048);
        keyA = JwtTools.rsa(dir, "issuer-a", 2048);
        keyB = JwtTools.rsa(dir, "issuer-b", 2048);
        weakRsa = JwtTools.rsa(dir, "weak", 1024);

        mainJwks = JwtTools.jwks(List.of(
                jwk(rsaPub, "rsa", null),
                jwk(rsaRs256Only, "rsa-rs256", "RS256"),
                jwk(ec, "ec", null),
                jwk(ed, "ed", null)));
        Path mainFile = JwtTools.write(dir, "main-jwks.json", mainJwks);
        Path aFile = JwtTools.write(dir, "a-jwks.json", JwtTools.jwks(List.of(jwk(keyA, "shared", null))));
        String bInline = JwtTools.jwks(List.of(jwk(keyB, "shared", null)));

        backend = new TestBackend();
        keyServer = new TestBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: main
                      matches:
                      - path: {pathPrefix: /main}
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: %2$s
                          audiences: [%3$s]
                          jwks:
                            file: %4$s
                      backends:
                      - host: %1$s
                    - name: cookie
                      matches:
                      - path: {pathPrefix: /cookie}
                      policies:
                        jwtAuth:
                          mode: strict
                          location:
                            cookie: {name: session_token}
                          issuer: %2$s
                          audiences: [%3$s]
                          jwks:
                            file: %4$s
                      backends:
                      - host: %1$s
                    - name: multi
                      matches:
                      - path: {pathPrefix: /multi}
                      policies:
                        jwtAuth:
                          mode: strict
                          providers:
                          - issuer: %5$s
                            audiences: [%3$s]
                            jwks:
                              file: %6$s
                          - issuer: %7$s
                            audiences: [%3$s]
                            jwks: '%8$s'
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort(), ISSUER, AUDIENCE, mainFile, ISSUER_A, aFile, ISSUER_B, bInline));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, keyServer, backend);
    }

    // ---------------------------------------------------------------- helpers

    static Map<String, Object> claims() {
        long now = now();
        return map("iss", ISSUER, "aud", AUDIENCE, "sub", "alice", "iat", now, "exp", now + 300);
    }

    static Map<String, Object> claims(Object... overrides) {
        Map<String, Object> c = claims();
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                c.remove((String) overrides[i]);
            } else {
                c.put((String) overrides[i], overrides[i + 1]);
            }
        }
        return c;
    }

    static Http.Response bearer(String path, String token) throws Exception {
        return Http.get(gateway.url(path), "Authorization", "Bearer " + token);
    }

    /** Sends the token and asserts 401 with this reason and invalid_token, and that the backend saw nothing. */
    static void assertRefused(String path, String token, String reason) throws Exception {
        int before = backend.requests();
        Http.Response r = bearer(path, token);
        assertInvalidToken(r, reason);
        assertThat(backend.requests()).as("refused requests never reach the backend").isEqualTo(before);
    }

    static void assertInvalidToken(Http.Response r, String reason) {
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("unauthorized: " + reason + "\n");
        assertThat(r.header("www-authenticate")).as(r.toString())
                .startsWith("Bearer realm=\"portcullis\"")
                .contains("error=\"invalid_token\"")
                .contains("error_description=\"" + reason + "\"");
    }

    static void assertAccepted(String path, String token) throws Exception {
        int before = backend.requests();
        Http.Response r = bearer(path, token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
        assertThat(backend.requests()).isEqualTo(before + 1);
        assertThat(backend.lastRequest().headers().contains("authorization"))
                .as("the validated token is removed before forwarding").isFalse();
    }

    // ---------------------------------------------------------------- the attacks

    @Test
    void validTokenIsAcceptedSoTheRefusalsBelowAreAboutTheAttack() throws Exception {
        assertAccepted("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"), claims())));
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() throws Exception {
        String token = JwtTools.mint(spec("none", null, map("kid", "rsa"), claims()));
        assertThat(token).endsWith(".");
        assertRefused("/main/x", token, "token algorithm not allowed");
        assertRefused("/main/x", JwtTools.mint(spec("none", null, map(), claims())), "token algorithm not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"None", "NONE", "nOnE"})
    void unsignedTokenWithOtherSpellingsOfNoneIsRefused(String alg) throws Exception {
        // Not the JOSE "none" (names are case-sensitive), so an unknown JWS alg that no key accepts.
        String token = JwtTools.mint(spec(alg, null, map("kid", "rsa"), claims()));
        int before = backend.requests();
        Http.Response r = bearer("/main/x", token);
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.body()).isIn("unauthorized: token algorithm not allowed\n", "unauthorized: malformed token\n");
        assertThat(r.header("www-authenticate")).contains("error=\"invalid_token\"");
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyPemIsRefused() throws Exception {
        // Key confusion: the attacker uses the published RSA public key (PEM text) as an HMAC secret, hoping
        // the verifier hands "the key for kid rsa" to an HMAC check. PyJWT refuses this; built by hand.
        Map<String, Object> s = spec("HS256", null, map("kid", "rsa"), claims());
        s.put("hmacKeyFile", rsaPub.toString());
        assertRefused("/main/x", JwtTools.mint(s), "token algorithm not allowed");

        // the same without a kid
        Map<String, Object> noKid = spec("HS256", null, map(), claims());
        noKid.put("hmacKeyFile", rsaPub.toString());
        assertRefused("/main/x", JwtTools.mint(noKid), "token algorithm not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "/dev/null", "..\\..\\windows\\win.ini", "1' OR '1'='1",
            "rsa'; DROP TABLE keys; --", "rsa\u0000", "rsa x"})
    void kidWithPathOrSqlCharactersIsRefused(String kid) throws Exception {
        // Signed with the real key, so only the kid's shape can make it fail.
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", kid), claims())), "token kid is not valid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jku", "x5u"})
    void jkuOrX5uPointingToAnAttackerKeySetIsNeverFetched(String param) throws Exception {
        String url = "http://" + keyServer.hostPort() + "/jwks.json";
        String token = JwtTools.mint(spec("RS256", attacker, map("kid", "attacker-key", param, url), claims()));

        assertRefused("/main/x", token, "token signed by an unknown key");
        // also with a kid the key set does have: the signature must then fail against the real key
        String known = JwtTools.mint(spec("RS256", attacker, map("kid", "rsa", param, url), claims()));
        assertRefused("/main/x", known, "token signature invalid");

        Thread.sleep(300); // a fetch would be asynchronous; give it the time to show up
        assertThat(keyServer.requests()).as(param + " must never be dereferenced").isZero();
    }

    @Test
    void embeddedJwkHeaderIsNotTrusted() throws Exception {
        // CVE-2018-0114 style: the token carries the attacker's public key in its header.
        Map<String, Object> attackerJwk = jwkOf(attacker);
        String token = JwtTools.mint(spec("RS256", attacker, map("kid", "rsa", "jwk", attackerJwk), claims()));
        assertRefused("/main/x", token, "token signature invalid");
        String noKid = JwtTools.mint(spec("RS256", attacker, map("jwk", attackerJwk), claims()));
        assertRefused("/main/x", noKid, "token signed by an unknown key");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jwkOf(Path key) throws Exception {
        String set = JwtTools.jwks(List.of(jwk(key, "attacker", null)));
        // {"keys": [{"kty": "RSA", "n": "...", "e": "AQAB", "kid": "attacker"}]}
        String n = field(set, "n");
        String e = field(set, "e");
        return map("kty", "RSA", "n", n, "e", e);
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\": \"");
        int start = at + name.length() + 5;
        return json.substring(start, json.indexOf('"', start));
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        long now = now();
        // 60 s past exp, well beyond the default 5 s clock skew
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"),
                claims("iat", now - 600, "exp", now - 60))), "token expired");
    }

    @Test
    void tokenWithoutExpIsRefused() throws Exception {
        // exp is required by default: a token that never expires is not accepted
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"), claims("exp", null))),
                "token lacks a required claim");
    }

    @Test
    void tokenNotYetValidIsRefused() throws Exception {
        long now = now();
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"),
                claims("nbf", now + 600, "exp", now + 1200))), "token not yet valid");
    }

    @Test
    void missingAudienceIsRefused() throws Exception {
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"), claims("aud", null))),
                "token audience not accepted");
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"), claims("aud", "someone-else"))),
                "token audience not accepted");
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"),
                claims("aud", List.of("a", "b")))), "token audience not accepted");
    }

    @Test
    void missingIssuerIsRefused() throws Exception {
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"), claims("iss", null))),
                "token issuer not accepted");
    }

    @Test
    void wrongIssuerIsRefused() throws Exception {
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"),
                claims("iss", "https://evil.example"))), "token issuer not accepted");
        // an issuer that differs only by a trailing slash is another issuer
        assertRefused("/main/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"),
                claims("iss", ISSUER + "/"))), "token issuer not accepted");
    }

    @Test
    void unknownCriticalHeaderIsRefused() throws Exception {
        String token = JwtTools.mint(spec("RS256", rsa,
                map("kid", "rsa", "crit", List.of("urn:example:must-understand"), "urn:example:must-understand", true),
                claims()));
        assertRefused("/main/x", token, "token has unsupported critical header");
    }

    @Test
    void tokenOf64KibIsRefusedBeforeTheBackend() throws Exception {
        String token = JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"),
                claims("pad", "p".repeat(48 * 1024)))); // ~64 KiB once base64url-encoded
        assertThat(token.length()).isGreaterThan(64 * 1024);
        String request = "GET /main/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n";
        int before = backend.requests();
        String reply;
        try (RawHttp raw = new RawHttp(gateway.port())) {
            // The first 33 KiB are past the default 32 KiB header limit. The gateway answers 431 and closes
            // without reading further; had the whole 64 KiB been sent, the unread rest would make the kernel
            // reset the connection, which can destroy the 431 before it is read.
            raw.send(request.substring(0, 33 * 1024));
            reply = raw.readAll(3000, 1 << 16);
            try {
                raw.send(request.substring(33 * 1024));
            } catch (java.io.IOException closed) {
                // the gateway has closed the connection: expected
            }
        }
        assertThat(reply).as(reply).satisfiesAnyOf(
                r -> assertThat(r).startsWith("HTTP/1.1 431 "),
                r -> assertThat(r).startsWith("HTTP/1.1 401 ").contains("unauthorized: token too large"));
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void tokenOf64KibUnderALargerHeaderLimitIsRefusedAsTooLarge() throws Exception {
        String token = JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"), claims("pad", "p".repeat(48 * 1024))));
        try (RunningGateway big = RunningGateway.start("""
                config:
                  workerThreads: 1
                frontendPolicies:
                  http:
                    maxHeaderSize: 128Ki
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: main
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: %2$s
                          jwks: '%3$s'
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort(), ISSUER, mainJwks))) {
            int before = backend.requests();
            Http.Response r = Http.get(big.url("/x"), "Authorization", "Bearer " + token);
            assertInvalidToken(r, "token too large");
            assertThat(backend.requests()).isEqualTo(before);
        }
    }

    @Test
    void tokenOf20KibInACookieIsRefusedAsTooLarge() throws Exception {
        // Under the default 32 KiB header limit, over the verifier's 16 KiB token limit.
        String token = JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"), claims("pad", "p".repeat(15 * 1024))));
        assertThat(token.length()).isBetween(20 * 1024, 24 * 1024);
        int before = backend.requests();
        Http.Response r = Http.get(gateway.url("/cookie/x"), "Cookie", "session_token=" + token);
        assertInvalidToken(r, "token too large");
        assertThat(backend.requests()).isEqualTo(before);
        // ... and the same size in the Authorization header
        assertRefused("/main/x", token, "token too large");
    }

    @Test
    void tokenInACookieIsAcceptedWhenSmall() throws Exception {
        String token = JwtTools.mint(spec("ES256", ec, map("kid", "ec"), claims()));
        int before = backend.requests();
        Http.Response r = Http.get(gateway.url("/cookie/x"), "Cookie", "session_token=" + token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(backend.requests()).isEqualTo(before + 1);
    }

    // ---------------------------------------------------------------- algorithms

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "PS256", "EdDSA", "RS384", "PS512"})
    void validTokenOfEachAlgorithmIsAccepted(String alg) throws Exception {
        Path key;
        String kid;
        switch (alg) {
            case "ES256" -> { key = ec; kid = "ec"; }
            case "EdDSA" -> { key = ed; kid = "ed"; }
            default -> { key = rsa; kid = "rsa"; }
        }
        assertAccepted("/main/" + alg, JwtTools.mint(spec(alg, key, map("kid", kid), claims())));
    }

    @Test
    void keyWhoseJwksAlgIsRs256RefusesPs256() throws Exception {
        assertAccepted("/main/x", JwtTools.mint(spec("RS256", rsaRs256Only, map("kid", "rsa-rs256"), claims())));
        assertRefused("/main/x", JwtTools.mint(spec("PS256", rsaRs256Only, map("kid", "rsa-rs256"), claims())),
                "token algorithm not allowed");
    }

    @Test
    void algorithmNotFittingTheKeyTypeIsRefused() throws Exception {
        // ES256 header on the RSA kid (signature by the EC key): alg must fit the key found by kid
        assertRefused("/main/x", JwtTools.mint(spec("ES256", ec, map("kid", "rsa"), claims())),
                "token algorithm not allowed");
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
        String token = JwtTools.mint(spec("ES256", ec, map("kid", "ec"), claims()));
        String[] parts = token.split("\\.");
        String forged = JwtTools.mint(spec("none", null, map(), claims("sub", "admin"))).split("\\.")[1];
        assertRefused("/main/x", parts[0] + "." + forged + "." + parts[2], "token signature invalid");
    }

    // ---------------------------------------------------------------- issuers sharing a kid

    @Test
    void twoIssuersSharingAKidEachUseTheirOwnKey() throws Exception {
        assertAccepted("/multi/x", JwtTools.mint(spec("RS256", keyB, map("kid", "shared"), claims("iss", ISSUER_B))));
        assertAccepted("/multi/x", JwtTools.mint(spec("RS256", keyA, map("kid", "shared"), claims("iss", ISSUER_A))));
    }

    @Test
    void tokenClaimingIssuerASignedWithIssuerBsKeyIsRefused() throws Exception {
        assertRefused("/multi/x", JwtTools.mint(spec("RS256", keyB, map("kid", "shared"), claims("iss", ISSUER_A))),
                "token signature invalid");
        assertRefused("/multi/x", JwtTools.mint(spec("RS256", keyA, map("kid", "shared"), claims("iss", ISSUER_B))),
                "token signature invalid");
        // and the main issuer's keys mean nothing on this route
        assertRefused("/multi/x", JwtTools.mint(spec("RS256", rsa, map("kid", "rsa"), claims())),
                "token issuer not accepted");
    }

    // ---------------------------------------------------------------- key sets that fail the load

    private static String config(String jwksYaml) {
        return """
                binds:
                - port: 0
                  listeners:
                  - routes:
                    - name: r
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: https://issuer.example
                          jwks: %s
                      backends:
                      - host: 127.0.0.1:9
                """.formatted(jwksYaml);
    }

    private static final String JWKS_PATH = "binds[0].listeners[0].routes[0].policies.jwtAuth.jwks";

    @Test
    void jwksWithDuplicateKidFailsTheLoad() throws Exception {
        String duplicate = JwtTools.jwks(List.of(jwk(rsa, "dup", null), jwk(ec, "dup", null)));
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(config("'" + duplicate + "'"), "t.yaml",
                Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as("a JWKS with a duplicate kid must fail the load").isNotNull();
        assertThat(e.errors()).hasSize(1);
        assertThat(e.errors().get(0)).startsWith(JWKS_PATH + ": ").contains("duplicate kid `dup`").endsWith(" at line 10");

        Path file = JwtTools.write(dir, "dup-jwks.json", duplicate);
        ConfigException fromFile = catchThrowableOfType(() -> ConfigLoader.parse(config("{file: " + file + "}"),
                "t.yaml", Map.<String, String>of()::get), ConfigException.class);
        assertThat(fromFile).isNotNull();
        assertThat(fromFile.errors().get(0)).startsWith(JWKS_PATH + ": ").contains("duplicate kid `dup`")
                .endsWith(" at line 10");
    }

    @Test
    void jwksWithAnRsaKeyUnder2048BitsFailsTheLoad() throws Exception {
        String weak = JwtTools.jwks(List.of(jwk(weakRsa, "weak", null)));
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(config("'" + weak + "'"), "t.yaml",
                Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).as("a 1024-bit RSA key must fail the load").isNotNull();
        assertThat(e.errors()).hasSize(1);
        assertThat(e.errors().get(0)).startsWith(JWKS_PATH + ": ").contains("key `weak`", "1024-bit RSA key")
                .endsWith(" at line 10");

        Path file = JwtTools.write(dir, "weak-jwks.json", weak);
        ConfigException fromFile = catchThrowableOfType(() -> ConfigLoader.parse(config("{file: " + file + "}"),
                "t.yaml", Map.<String, String>of()::get), ConfigException.class);
        assertThat(fromFile).isNotNull();
        assertThat(fromFile.errors().get(0)).startsWith(JWKS_PATH + ": ").contains("1024-bit RSA key");
    }

    @Test
    void jwksWithPrivateKeyMaterialFailsTheLoadWithoutEchoingIt() throws Exception {
        Map<String, Object> entry = jwk(ec, "leaky", null);
        entry.put("private", true);
        String leaky = JwtTools.jwks(List.of(entry));
        String d = field(leaky, "d");
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(config("'" + leaky + "'"), "t.yaml",
                Map.<String, String>of()::get), ConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.errors().get(0)).startsWith(JWKS_PATH + ": ").contains("private key material");
        assertThat(e.getMessage()).doesNotContain(d);
    }
}
