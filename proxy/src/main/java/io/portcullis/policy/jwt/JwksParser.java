package io.portcullis.policy.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a JWKS document into a {@link KeySet}, refusing what would weaken verification: private key
 * material, symmetric keys, RSA keys under 2048 bits, duplicate {@code kid}s (which key would verify?),
 * keys whose {@code alg} Portcullis does not accept, keys not meant for signatures.
 */
public final class JwksParser {
    /** Asymmetric algorithms accepted for tokens; HS* only ever with a configured {@code secret}. */
    static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    static final Set<JWSAlgorithm> OKP_ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    static final int MIN_RSA_BITS = 2048;
    /** A key set larger than this is not a key set. */
    static final int MAX_KEYS = 100;

    private JwksParser() {}

    /** A problem with a key set; the message names the key and never includes key material. */
    public static final class InvalidJwksException extends Exception {
        InvalidJwksException(String message) {
            super(message);
        }
    }

    /** What is wrong with an inline key set, or null when it is usable. For the config validator. */
    public static String problem(String json) {
        try {
            parse(json);
            return null;
        } catch (InvalidJwksException e) {
            return e.getMessage();
        }
    }

    /** What is wrong with a key set file (unreadable, or its content), or null when it is usable. */
    public static String fileProblem(Path file) {
        try {
            return problem(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "cannot read " + file + (e instanceof NoSuchFileException ? ": no such file"
                    : e instanceof AccessDeniedException ? ": permission denied" : ": " + e);
        }
    }

    static KeySet parse(String json) throws InvalidJwksException {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new InvalidJwksException("not a valid JWKS document: " + e.getMessage());
        }
        List<JWK> keys = set.getKeys();
        if (keys.isEmpty()) {
            throw new InvalidJwksException("the key set has no keys");
        }
        if (keys.size() > MAX_KEYS) {
            throw new InvalidJwksException("the key set has " + keys.size() + " keys (at most " + MAX_KEYS + ")");
        }
        Map<String, VerificationKey> byKid = new HashMap<>();
        List<VerificationKey> withoutKid = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            JWK jwk = keys.get(i);
            String name = jwk.getKeyID() == null ? "keys[" + i + "]" : "key `" + jwk.getKeyID() + "`";
            VerificationKey key = toKey(jwk, name);
            if (jwk.getKeyID() == null) {
                withoutKid.add(key);
            } else if (byKid.putIfAbsent(jwk.getKeyID(), key) != null) {
                throw new InvalidJwksException("duplicate kid `" + jwk.getKeyID()
                        + "`: each key needs its own kid, or a token could be checked against the wrong key");
            }
        }
        return new KeySet(byKid, withoutKid);
    }

    private static VerificationKey toKey(JWK jwk, String name) throws InvalidJwksException {
        if (jwk.isPrivate()) {
            throw new InvalidJwksException(name + " contains private key material; publish only public keys");
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw new InvalidJwksException(name + " has use `" + jwk.getKeyUse().identifier() + "`, not `sig`");
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            throw new InvalidJwksException(name + " has key_ops without `verify`");
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                if (rsa.size() < MIN_RSA_BITS) {
                    throw new InvalidJwksException(name + " is a " + rsa.size() + "-bit RSA key (at least "
                            + MIN_RSA_BITS + " bits)");
                }
                return key(jwk, name, RSA_ALGORITHMS, new RSASSAVerifier(CryptoProviders.nativeKey(rsa.toRSAPublicKey())));
            }
            if (jwk instanceof ECKey ec) {
                JWSAlgorithm alg = ecAlgorithm(ec.getCurve());
                if (alg == null) {
                    throw new InvalidJwksException(name + " uses curve " + ec.getCurve() + " (expected P-256 or P-384)");
                }
                return key(jwk, name, Set.of(alg), new ECDSAVerifier(CryptoProviders.nativeKey(ec.toECPublicKey())));
            }
            if (jwk instanceof OctetKeyPair okp) {
                return key(jwk, name, OKP_ALGORITHMS, new EdDsaVerifier(okp));
            }
        } catch (JOSEException e) {
            throw new InvalidJwksException(name + ": " + e.getMessage());
        }
        throw new InvalidJwksException(name + " has kty `" + jwk.getKeyType()
                + "` (expected RSA, EC or OKP; shared secrets go in `secret`, not in a key set)");
    }

    static JWSAlgorithm ecAlgorithm(Curve curve) {
        if (Curve.P_256.equals(curve)) {
            return JWSAlgorithm.ES256;
        }
        if (Curve.P_384.equals(curve)) {
            return JWSAlgorithm.ES384;
        }
        return null;
    }

    /** A key's own {@code alg}, when present, narrows it to that one algorithm. */
    private static VerificationKey key(JWK jwk, String name, Set<JWSAlgorithm> family, JWSVerifier verifier)
            throws InvalidJwksException {
        Set<JWSAlgorithm> algorithms = family;
        if (jwk.getAlgorithm() != null) {
            JWSAlgorithm alg = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            if (!family.contains(alg)) {
                throw new InvalidJwksException(name + " has alg `" + alg + "`, which does not fit its key type");
            }
            algorithms = Set.of(alg);
        }
        return new VerificationKey(jwk.getKeyID(), algorithms, verifier);
    }
}
