package io.portcullis.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credential values in text meant to hold none (Helm values, ConfigMaps): JWTs, PEM private keys,
 * literal bearer credentials (a {@code ${VAR}} reference is fine), and private members of JWKs.
 */
final class SecretScan {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.");
    private static final Pattern PRIVATE_PEM = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+(?!\\$\\{)\\S+");
    private static final Set<String> PRIVATE_JWK_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private SecretScan() {}

    static List<String> findings(String text) {
        List<String> found = new ArrayList<>();
        for (Pattern p : List.of(JWT, PRIVATE_PEM, BEARER)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                found.add(m.group());
            }
        }
        return found;
    }

    /** The private members present in the keys of a JWKS document. */
    static List<String> privateJwkMembers(String jwksJson) {
        Object doc = RenderedChart.yaml().load(jwksJson); // JSON is YAML
        List<String> found = new ArrayList<>();
        for (Object key : RenderedChart.list(RenderedChart.map(doc).get("keys"))) {
            for (String member : ((Map<?, ?>) key).keySet().stream().map(String::valueOf).toList()) {
                if (PRIVATE_JWK_MEMBERS.contains(member)) {
                    found.add(member);
                }
            }
        }
        return found;
    }
}
