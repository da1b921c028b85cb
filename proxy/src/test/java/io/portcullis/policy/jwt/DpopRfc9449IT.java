package io.portcullis.policy.jwt;

import static io.portcullis.testing.JwtTools.jwk;
import static io.portcullis.testing.JwtTools.map;
import static io.portcullis.testing.JwtTools.now;
import static io.portcullis.testing.JwtTools.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.Closeables;
import io.portcullis.testing.Http;
import io.portcullis.testing.JwtTools;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9449 DPoP with {@code jwtAuth.dpop}: an access token bound to the client's EC P-256 key by
 * {@code cnf.jkt} (the RFC 7638 thumbprint, computed in python), sent as {@code Authorization: DPoP} with a
 * proof made by python for this method, URI and token. Every broken proof is refused with 401 and
 * {@code WWW-Authenticate: DPoP ... error="invalid_dpop_proof"}, and never reaches the backend.
 */
@Timeout(60)
class DpopRfc9449IT {
    static final String ISSUER = "https://as.portcullis.test";
    static final String AUDIENCE = "dpop-api";

    @TempDir
    static Path dir;
    static Path issuerKey;
    static Path client;
    static Path other;
    static String jkt;
    /** Bound to {@link #client}. */
    static String token;
    /** A second bound token, for the wrong-ath proof. */
    static String otherToken;
    /** Not bound to any key. */
    static String unboundToken;

    static TestBackend backend;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        issuerKey = JwtTools.rsa(dir, "issuer", 2048);
        client = JwtTools.ecP256(dir, "client");
        other = JwtTools.ecP256(dir, "other");
        jkt = JwtTools.thumbprint(client);
        assertThat(jkt).matches("[A-Za-z0-9_-]{43}");
        long now = now();
        List<String> tokens = JwtTools.mintAll(List.of(
                spec("RS256", issuerKey, map("kid", "as-1"), map("iss", ISSUER, "aud", AUDIENCE, "sub", "alice",
                        "iat", now, "exp", now + 600, "cnf", map("jkt", jkt))),
                spec("RS256", issuerKey, map("kid", "as-1"), map("iss", ISSUER, "aud", AUDIENCE, "sub", "bob",
                        "iat", now, "exp", now + 600, "cnf", map("jkt", jkt))),
                spec("RS256", issuerKey, map("kid", "as-1"), map("iss", ISSUER, "aud", AUDIENCE, "sub", "carol",
                        "iat", now, "exp", now + 600))));
        token = tokens.get(0);
        otherToken = tokens.get(1);
        unboundToken = tokens.get(2);
        String jwks = JwtTools.jwks(List.of(jwk(issuerKey, "as-1", "RS256")));

        backend = new TestBackend();
        gateway = RunningGateway.start("""
                config:
                  workerThreads: 1
                binds:
                - port: 0
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: api
                      matches:
                      - path: {pathPrefix: /api}
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: %2$s
                          audiences: [%3$s]
                          jwks: '%4$s'
                          dpop: {}
                      backends:
                      - host: %1$s
                    - name: nonce
                      matches:
                      - path: {pathPrefix: /nonce}
                      policies:
                        jwtAuth:
                          mode: strict
                          issuer: %2$s
                          audiences: [%3$s]
                          jwks: '%4$s'
                          dpop:
                            nonce:
                              secret: %5$s
                      backends:
                      - host: %1$s
                """.formatted(backend.hostPort(), ISSUER, AUDIENCE, jwks, randomSecret(48)));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    static String randomSecret(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- helpers

    static String htu(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    /** A valid proof by the client's key for GET {@code path} and {@link #token}, changed by {@code overrides}. */
    static String proof(String path, Object... overrides) throws Exception {
        Map<String, Object> s = map("key", client.toString(), "alg", "ES256", "htm", "GET", "htu", htu(path),
                "token", token);
        for (int i = 0; i < overrides.length; i += 2) {
            s.put((String) overrides[i], overrides[i + 1]);
        }
        return JwtTools.dpopProof(s);
    }

    static Http.Response dpop(String path, String accessToken, String proof) throws Exception {
        return Http.get(gateway.url(path), "Authorization", "DPoP " + accessToken, "DPoP", proof);
    }

    static void assertAccepted(Http.Response r, int backendBefore) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestBackend.JSON);
        assertThat(backend.requests()).isEqualTo(backendBefore + 1);
        assertThat(backend.lastRequest().headers().contains("authorization")).as("Authorization forwarded").isFalse();
        assertThat(backend.lastRequest().headers().contains("dpop")).as("DPoP forwarded").isFalse();
    }

    /** 401 with the reason and {@code WWW-Authenticate: DPoP ... error="code"}; nothing reached the backend. */
    static void assertDpopRefusal(Http.Response r, int backendBefore, String reason, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("unauthorized: " + reason + "\n");
        assertThat(r.headers("www-authenticate")).as(r.toString())
                .anySatisfy(h -> assertThat(h).startsWith("DPoP ").contains("algs=\"").contains("ES256")
                        .contains("error=\"" + code + "\""));
        assertThat(backend.requests()).as("refused requests never reach the backend").isEqualTo(backendBefore);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void pythonThumbprintMatchesRfc7638() throws Exception {
        // RFC 7638 section 3.1: the example RSA key and its thumbprint, through the same python code
        String example = JwtTools.Json.write(map("kty", "RSA", "e", "AQAB", "alg", "RS256", "kid", "2011-04-29",
                "n", "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWK"
                        + "RXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQ"
                        + "MicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2"
                        + "NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"));
        assertThat(JwtTools.thumbprintOfJwk(example)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assertThat(jkt).isNotEqualTo(JwtTools.thumbprint(other));
    }

    @Test
    void validProofIsAcceptedAndNeitherHeaderIsForwarded() throws Exception {
        int before = backend.requests();
        assertAccepted(dpop("/api/resource", token, proof("/api/resource")), before);
    }

    @Test
    void htuIgnoresTheQueryString() throws Exception {
        int before = backend.requests();
        assertAccepted(dpop("/api/resource?page=2", token, proof("/api/resource")), before);
    }

    @Test
    void proofForAnotherTokenIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = dpop("/api/resource", token, proof("/api/resource", "token", otherToken));
        assertDpopRefusal(r, before, "DPoP proof does not match the token (ath)", "invalid_dpop_proof");
        Http.Response literal = dpop("/api/resource", token, proof("/api/resource", "ath", "not-the-hash"));
        assertDpopRefusal(literal, before, "DPoP proof does not match the token (ath)", "invalid_dpop_proof");
    }

    @Test
    void proofWithoutAthIsRefused() throws Exception {
        int before = backend.requests();
        Map<String, Object> s = map("key", client.toString(), "htm", "GET", "htu", htu("/api/resource"));
        Http.Response r = dpop("/api/resource", token, JwtTools.dpopProof(s));
        assertDpopRefusal(r, before, "DPoP proof does not match the token (ath)", "invalid_dpop_proof");
    }

    @Test
    void proofSignedByAnotherKeyThanCnfJktIsRefused() throws Exception {
        int before = backend.requests();
        // the other key, honestly named in the jwk header: valid signature, wrong thumbprint
        Http.Response r = dpop("/api/resource", token, proof("/api/resource", "key", other.toString()));
        assertDpopRefusal(r, before, "DPoP proof key does not match the token (cnf.jkt)", "invalid_dpop_proof");
        // the other key signing while the header names the client's key: the signature does not verify
        Http.Response forged = dpop("/api/resource", token,
                proof("/api/resource", "key", other.toString(), "jwkFrom", client.toString()));
        assertDpopRefusal(forged, before, "DPoP proof invalid", "invalid_dpop_proof");
    }

    @Test
    void proofWhoseJwkCarriesThePrivateKeyIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = dpop("/api/resource", token, proof("/api/resource", "jwkPrivate", true));
        assertDpopRefusal(r, before, "DPoP proof invalid", "invalid_dpop_proof");
    }

    @Test
    void hmacProofIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = dpop("/api/resource", token, proof("/api/resource", "alg", "HS256",
                "hmacSecret", "an-hmac-secret-that-proves-nothing-about-a-key-pair"));
        assertDpopRefusal(r, before, "DPoP proof invalid", "invalid_dpop_proof");
    }

    @Test
    void proofWithoutDpopTypIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = dpop("/api/resource", token, proof("/api/resource", "header", map("typ", "JWT")));
        assertDpopRefusal(r, before, "DPoP proof invalid", "invalid_dpop_proof");
    }

    @Test
    void missingProofIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = Http.get(gateway.url("/api/resource"), "Authorization", "DPoP " + token);
        assertDpopRefusal(r, before, "DPoP proof missing", "invalid_dpop_proof");
    }

    @Test
    void boundTokenSentAsBearerIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = Http.get(gateway.url("/api/resource"), "Authorization", "Bearer " + token);
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("unauthorized: DPoP-bound token sent as Bearer\n");
        assertThat(r.headers("www-authenticate")).anySatisfy(h -> assertThat(h).contains("error=\"invalid_token\""));
        // ... even with a valid proof next to it
        Http.Response withProof = Http.get(gateway.url("/api/resource"), "Authorization", "Bearer " + token,
                "DPoP", proof("/api/resource"));
        assertThat(withProof.status()).isEqualTo(401);
        assertThat(withProof.headers("www-authenticate")).anySatisfy(h -> assertThat(h).contains("error=\"invalid_token\""));
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void unboundTokenWithTheDpopSchemeIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = dpop("/api/resource", unboundToken, proof("/api/resource", "token", unboundToken));
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("unauthorized: DPoP proof required\n");
        assertThat(r.headers("www-authenticate")).anySatisfy(h -> assertThat(h).contains("error=\"invalid_token\""));
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void replayedProofIsRefused() throws Exception {
        String once = proof("/api/resource");
        int before = backend.requests();
        assertAccepted(dpop("/api/resource", token, once), before);
        Http.Response again = dpop("/api/resource", token, once);
        assertDpopRefusal(again, before + 1, "DPoP proof already used (jti)", "invalid_dpop_proof");
    }

    @Test
    void proofForAnotherMethodIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = dpop("/api/resource", token, proof("/api/resource", "htm", "POST"));
        assertDpopRefusal(r, before, "DPoP proof not valid for this method (htm)", "invalid_dpop_proof");
    }

    @Test
    void proofForAnotherUriIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response path = dpop("/api/resource", token, proof("/api/other"));
        assertDpopRefusal(path, before, "DPoP proof not valid for this URI (htu)", "invalid_dpop_proof");
        Http.Response host = dpop("/api/resource", token, proof("/api/resource",
                "htu", "http://127.0.0.1:1/api/resource"));
        assertDpopRefusal(host, before, "DPoP proof not valid for this URI (htu)", "invalid_dpop_proof");
        Http.Response scheme = dpop("/api/resource", token, proof("/api/resource",
                "htu", "https://127.0.0.1:" + gateway.port() + "/api/resource"));
        assertDpopRefusal(scheme, before, "DPoP proof not valid for this URI (htu)", "invalid_dpop_proof");
    }

    @Test
    void staleProofIsRefused() throws Exception {
        int before = backend.requests();
        Http.Response r = dpop("/api/resource", token, proof("/api/resource", "iat", now() - 3600));
        assertDpopRefusal(r, before, "DPoP proof too old or from the future (iat)", "invalid_dpop_proof");
        Http.Response future = dpop("/api/resource", token, proof("/api/resource", "iat", now() + 3600));
        assertDpopRefusal(future, before, "DPoP proof too old or from the future (iat)", "invalid_dpop_proof");
    }

    @Test
    void serverNonceIsRequiredAndThenAccepted() throws Exception {
        int before = backend.requests();
        Http.Response first = dpop("/nonce/resource", token, proof("/nonce/resource"));
        assertDpopRefusal(first, before, "DPoP nonce required", "use_dpop_nonce");
        String nonce = first.header("dpop-nonce");
        assertThat(nonce).as("DPoP-Nonce header").isNotBlank();

        Http.Response wrongNonce = dpop("/nonce/resource", token, proof("/nonce/resource", "nonce", "bm90LWEtbm9uY2U"));
        assertDpopRefusal(wrongNonce, before, "DPoP nonce required", "use_dpop_nonce");

        Http.Response retry = dpop("/nonce/resource", token, proof("/nonce/resource", "nonce", nonce));
        assertAccepted(retry, before);
    }
}
