package io.portcullis.cli.tools;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Set;

/** Public keys as JWKs (RFC 7517/7518 members only) and private keys as JWS signers, for the key tools. */
final class Jwks {
    private Jwks() {}

    /** {@code kty}, {@code use: sig}, {@code alg}, {@code kid} and the key's public parameters (unpadded base64url). */
    static JWK publicJwk(PublicKey key, String kid, String alg) {
        Algorithm algorithm = new Algorithm(alg == null ? defaultAlgorithm(key).getName() : alg);
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(kid).build();
        }
        if (key instanceof ECPublicKey ec) {
            return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec)
                    .keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(kid).build();
        }
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(ed25519Bytes(key)))
                .keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(kid).build();
    }

    static JWSAlgorithm defaultAlgorithm(Key key) {
        if (key.getAlgorithm().equals("RSA")) {
            return JWSAlgorithm.RS256;
        }
        if (key.getAlgorithm().equals("EC")) {
            int bits = key instanceof ECPublicKey p ? p.getParams().getOrder().bitLength()
                    : ((ECPrivateKey) key).getParams().getOrder().bitLength();
            return bits > 256 ? JWSAlgorithm.ES384 : JWSAlgorithm.ES256;
        }
        return JWSAlgorithm.EdDSA;
    }

    static JWSSigner signer(PrivateKey key) throws JOSEException {
        return switch (key.getAlgorithm()) {
            case "RSA" -> new RSASSASigner(key);
            case "EC" -> new ECDSASigner((ECPrivateKey) key);
            default -> new Ed25519Signer(key);
        };
    }

    /** The 32-byte Ed25519 public key: the tail of its fixed-size X.509 encoding. */
    private static byte[] ed25519Bytes(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    /** Ed25519 through the JCA (nimbus's own signer needs Google Tink). */
    private static final class Ed25519Signer implements JWSSigner {
        private final PrivateKey key;
        private final JCAContext jca = new JCAContext();

        Ed25519Signer(PrivateKey key) {
            this.key = key;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(signingInput);
                return Base64URL.encode(s.sign());
            } catch (GeneralSecurityException e) {
                throw new JOSEException(e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}
