package io.portcullis.cli.tools;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The seed 002 tooling as subcommands: {@code jwks} (its generate_jwks.py, plus {@code --merge} for the
 * dual-key rotation of section 4.3), {@code token} (its DPoPClient.mint: iss, aud, htm, htu, jti, iat, exp,
 * kid), {@code dpop} (an RFC 9449 proof) and {@code keygen}. Keys are PEM files as openssl writes them.
 */
public final class KeyTools {
    public static final Set<String> COMMANDS = Set.of("jwks", "token", "dpop", "keygen");
    public static final String USAGE = String.join("\n",
            "  portcullis jwks --key public.pem --kid my-key-1 [--alg RS256] [--merge jwks.json] [--out jwks.json]",
            "  portcullis token --key private.pem --kid my-key-1 --iss ISSUER --aud AUDIENCE --htm POST --htu URL",
            "                   [--ttl 300] [--sub SUBJECT] [--jkt THUMBPRINT]",
            "  portcullis dpop --key private.pem --pub public.pem --htm POST --htu URL [--token ACCESS_TOKEN] [--nonce N]",
            "  portcullis keygen --type rsa|ec|ed25519 --out private.pem [--pub public.pem]");

    private final PrintStream out;

    public KeyTools(PrintStream out) {
        this.out = out;
    }

    /** Runs {@code args[0]}; usage errors as IllegalArgumentException, file problems as IOException. */
    public void run(String[] args) throws IOException, GeneralSecurityException, JOSEException, ParseException {
        switch (args[0]) {
            case "jwks" -> jwks(ToolArgs.parse(args, Set.of("key", "kid", "alg", "merge", "out")));
            case "token" -> token(ToolArgs.parse(args, Set.of("key", "kid", "iss", "aud", "htm", "htu", "ttl", "sub", "jkt")));
            case "dpop" -> dpop(ToolArgs.parse(args, Set.of("key", "pub", "htm", "htu", "token", "nonce")));
            default -> keygen(ToolArgs.parse(args, Set.of("type", "out", "pub")));
        }
    }

    private void jwks(ToolArgs a) throws IOException, ParseException {
        JWK key = Jwks.publicJwk(PemKeys.readPublic(a.path("key")), a.required("kid"), a.optional("alg", null));
        List<JWK> keys = new ArrayList<>();
        if (a.has("merge")) {
            keys.addAll(JWKSet.parse(Files.readString(a.path("merge"))).getKeys());
            if (keys.stream().anyMatch(k -> key.getKeyID().equals(k.getKeyID()))) {
                throw new IllegalArgumentException("jwks: kid " + key.getKeyID() + " is already in " + a.path("merge"));
            }
        }
        keys.add(key);
        String json = new JWKSet(keys).toString(true) + "\n";
        if (a.has("out")) {
            Files.writeString(a.path("out"), json);
            out.println("JWKS written to " + a.path("out") + " (" + keys.size() + " keys)");
            out.println("Key ID: " + key.getKeyID());
            out.println("Key type: " + key.getKeyType());
        } else {
            out.print(json);
        }
    }

    private void token(ToolArgs a) throws IOException, JOSEException {
        PrivateKey key = PemKeys.readPrivate(a.path("key"));
        long now = System.currentTimeMillis() / 1000;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .issuer(a.required("iss"))
                .audience(a.required("aud"))
                .issueTime(new Date(now * 1000))
                .expirationTime(new Date((now + a.number("ttl", 300)) * 1000))
                .claim("htm", a.required("htm").toUpperCase(Locale.ROOT))
                .claim("htu", a.required("htu"));
        if (a.has("sub")) {
            claims.subject(a.required("sub"));
        }
        if (a.has("jkt")) {
            claims.claim("cnf", Map.of("jkt", a.required("jkt")));
        }
        JWSHeader header = new JWSHeader.Builder(Jwks.defaultAlgorithm(key)).keyID(a.required("kid")).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        jwt.sign(Jwks.signer(key));
        out.println(jwt.serialize());
    }

    private void dpop(ToolArgs a) throws IOException, JOSEException, GeneralSecurityException {
        PrivateKey key = PemKeys.readPrivate(a.path("key"));
        PublicKey pub = PemKeys.readPublic(a.path("pub"));
        JWK jwk = Jwks.publicJwk(pub, null, null);
        JWSAlgorithm alg = Jwks.defaultAlgorithm(key);
        JWSHeader header = new JWSHeader.Builder(alg).type(new JOSEObjectType("dpop+jwt"))
                .jwk(jwk).build();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .claim("htm", a.required("htm").toUpperCase(Locale.ROOT))
                .claim("htu", a.required("htu"))
                .issueTime(new Date());
        if (a.has("token")) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(a.required("token").getBytes(StandardCharsets.US_ASCII));
            claims.claim("ath", Base64URL.encode(digest).toString());
        }
        if (a.has("nonce")) {
            claims.claim("nonce", a.required("nonce"));
        }
        SignedJWT proof = new SignedJWT(header, claims.build());
        proof.sign(Jwks.signer(key));
        out.println(proof.serialize());
        out.println("jkt: " + jwk.computeThumbprint());
    }

    private void keygen(ToolArgs a) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator;
        switch (a.required("type")) {
            case "rsa" -> {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
            }
            case "ec" -> {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            case "ed25519" -> generator = KeyPairGenerator.getInstance("Ed25519");
            default -> throw new IllegalArgumentException("keygen: --type must be rsa, ec or ed25519");
        }
        KeyPair pair = generator.generateKeyPair();
        Path out = a.path("out");
        // Created owner-only before the key is written, so it is never readable by others, not even briefly.
        Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        PemKeys.write(out, "PRIVATE KEY", pair.getPrivate().getEncoded());
        this.out.println("private key written to " + out + " (keep it off the cluster)");
        if (a.has("pub")) {
            PemKeys.write(a.path("pub"), "PUBLIC KEY", pair.getPublic().getEncoded());
            this.out.println("public key written to " + a.path("pub"));
        }
    }
}
