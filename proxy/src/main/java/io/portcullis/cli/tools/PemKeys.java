package io.portcullis.cli.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * PEM keys as openssl writes them ({@code genpkey}, {@code pkey -pubout}): PKCS#8 private keys and X.509
 * SubjectPublicKeyInfo public keys, RSA, EC or Ed25519. Decoded by the JCA, nothing hand-parsed but the
 * PEM armour.
 */
final class PemKeys {
    private static final String[] ALGORITHMS = {"RSA", "EC", "Ed25519"};

    private PemKeys() {}

    static PublicKey readPublic(Path file) throws IOException {
        byte[] der = der(file, "PUBLIC KEY", "openssl pkey -in private.pem -pubout -out public.pem");
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(file + ": not an RSA, EC or Ed25519 public key");
    }

    static PrivateKey readPrivate(Path file) throws IOException {
        byte[] der = der(file, "PRIVATE KEY", "openssl pkcs8 -topk8 -nocrypt -in old.pem -out private.pem");
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(file + ": not an RSA, EC or Ed25519 private key");
    }

    static void write(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    private static byte[] der(Path file, String type, String hint) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        int start = text.indexOf(begin);
        int end = text.indexOf("-----END " + type + "-----");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(file + ": no \"" + begin + "\" block (convert it with: " + hint + ")");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the " + type + " block is not valid base64");
        }
    }
}
