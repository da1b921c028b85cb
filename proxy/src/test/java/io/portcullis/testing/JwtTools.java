package io.portcullis.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys and tokens made independently of the gateway's code: keys with {@code openssl genpkey}, JWKS,
 * tokens and DPoP proofs with Debian's {@code /usr/bin/python3} (PyJWT + cryptography) running the scripts
 * in {@code src/test/resources/jwt/}. Every process is bounded in time.
 */
public final class JwtTools {
    public static final String PYTHON = Python.PYTHON;
    public static final String OPENSSL = "openssl";

    private JwtTools() {}

    /** Seconds since the epoch, the clock the gateway uses for exp / nbf / iat. */
    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    // ---- keys (openssl) ----

    public static Path rsa(Path dir, String name, int bits) throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".pem");
        run(null, OPENSSL, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + bits, "-out", key.toString());
        return key;
    }

    public static Path ecP256(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".pem");
        run(null, OPENSSL, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        return key;
    }

    public static Path ed25519(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".pem");
        run(null, OPENSSL, "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        return key;
    }

    /** The public half of a private key PEM, as a SubjectPublicKeyInfo PEM next to it. */
    public static Path publicPem(Path privateKey) throws IOException, InterruptedException {
        Path pub = privateKey.resolveSibling(privateKey.getFileName().toString().replace(".pem", ".pub.pem"));
        run(null, OPENSSL, "pkey", "-in", privateKey.toString(), "-pubout", "-out", pub.toString());
        return pub;
    }

    // ---- JWKS, tokens, proofs (python) ----

    /** One JWKS entry: the key's public half, with kid and optional alg. */
    public static Map<String, Object> jwk(Path pem, String kid, String alg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pem", pem.toString());
        m.put("kid", kid);
        if (alg != null) {
            m.put("alg", alg);
        }
        return m;
    }

    /** A JWKS document ({@code {"keys": [...]}}) built by jwks.py. */
    public static String jwks(List<Map<String, Object>> entries) throws IOException, InterruptedException {
        return python("jwks.py", List.of(), Json.write(entries)).trim();
    }

    /** A token spec for mint.py: alg, signing key, header fields and claims. */
    public static Map<String, Object> spec(String alg, Path key, Map<String, Object> header, Map<String, Object> claims) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alg", alg);
        if (key != null) {
            m.put("key", key.toString());
        }
        m.put("header", header);
        m.put("claims", claims);
        return m;
    }

    public static String mint(Map<String, Object> spec) throws IOException, InterruptedException {
        return mintAll(List.of(spec)).get(0);
    }

    /** Several tokens with one python start. */
    public static List<String> mintAll(List<Map<String, Object>> specs) throws IOException, InterruptedException {
        String out = python("mint.py", List.of(), Json.write(specs));
        List<String> tokens = Arrays.asList(out.strip().split("\n"));
        if (tokens.size() != specs.size()) {
            throw new IOException("mint.py printed " + tokens.size() + " tokens for " + specs.size() + " specs");
        }
        return tokens;
    }

    /** A DPoP proof from dpop.py (see its doc for the spec fields). */
    public static String dpopProof(Map<String, Object> spec) throws IOException, InterruptedException {
        return python("dpop.py", List.of("proof"), Json.write(spec)).trim();
    }

    /** The RFC 7638 SHA-256 thumbprint of a key, computed in python. */
    public static String thumbprint(Path key) throws IOException, InterruptedException {
        return python("dpop.py", List.of("thumbprint", key.toString()), null).trim();
    }

    /** The RFC 7638 thumbprint of a JWK given as JSON, computed in python. */
    public static String thumbprintOfJwk(String jwkJson) throws IOException, InterruptedException {
        return python("dpop.py", List.of("thumbprint", "-"), jwkJson).trim();
    }

    /** Ordered map literal: {@code map("a", 1, "b", 2)}. */
    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String python(String script, List<String> args, String stdin) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script(script).toString()));
        cmd.addAll(args);
        return run(stdin, cmd.toArray(String[]::new));
    }

    private static Path script(String name) throws IOException {
        URL url = JwtTools.class.getResource("/jwt/" + name);
        if (url == null) {
            throw new IOException("test resource /jwt/" + name + " not found");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static String run(String stdin, String... cmd) throws IOException, InterruptedException {
        return Python.run(stdin, List.of(cmd));
    }

    /** Writes the few JSON shapes the specs use (maps, lists, strings, numbers, booleans, null). */
    public static final class Json {
        private Json() {}

        public static String write(Object value) {
            StringBuilder sb = new StringBuilder();
            write(sb, value);
            return sb.toString();
        }

        private static void write(StringBuilder sb, Object v) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof String s) {
                string(sb, s);
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else if (v instanceof Path p) {
                string(sb, p.toString());
            } else if (v instanceof Map<?, ?> m) {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    string(sb, (String) e.getKey());
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            } else if (v instanceof List<?> l) {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, l.get(i));
                }
                sb.append(']');
            } else {
                throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
            }
        }

        private static void string(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }

    /** Writes text to a file in {@code dir} and returns its path. */
    public static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
