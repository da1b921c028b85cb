package io.portcullis.observability;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.portcullis.config.ByteSize;
import io.portcullis.config.GatewayConfig;
import io.portcullis.config.GoDuration;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The loaded config as JSON for the admin endpoint's {@code /config_dump}, with secrets kept out. What counts as
 * a secret, and what is shown instead:
 * <ul>
 *   <li>fields that hold key material or shared secrets: every {@code secret} (jwtAuth HS256, DPoP nonce) →
 *       {@code "<redacted>"}. File paths ({@code tls.key}, {@code jwks.file}) are shown: they are not the key;</li>
 *   <li>values of header rewrites ({@code requestHeaderModifier}, {@code responseHeaderModifier}) for
 *       credential headers: {@code authorization}, {@code proxy-authorization}, {@code cookie},
 *       {@code set-cookie} and names containing {@code token}, {@code secret}, {@code key} or {@code password}
 *       → {@code "<redacted>"};</li>
 *   <li>anything that came from the environment: each value of a {@code ${VAR}} the file used (three characters
 *       or more) is replaced by {@code ${VAR}} wherever it appears, so a credential injected by a Kubernetes
 *       Secret shows as the variable that carried it, never its value.</li>
 * </ul>
 * Field names are the YAML's; unset fields are left out; durations and sizes are written as in the file.
 */
public final class ConfigDump {
    static final String REDACTED = "<redacted>";
    private static final Set<String> SECRET_FIELDS = Set.of("secret");
    private static final Set<String> HEADER_MAPS = Set.of("requestHeaderModifier", "responseHeaderModifier");
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
    private static final int MIN_ENV_VALUE = 3;

    private ConfigDump() {}

    /** {@code env}: the variables the file used and their values (to keep them out). */
    public static String json(GatewayConfig config, Map<String, String> env) {
        List<Map.Entry<String, String>> values = new ArrayList<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue().length() >= MIN_ENV_VALUE) {
                values.add(e);
            }
        }
        // Longest first, so a value that contains another is replaced as a whole.
        values.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) new ConfigDump.Walker(values).value(config, null, false);
        return JSONObjectUtils.toJSONString(tree);
    }

    private record Walker(List<Map.Entry<String, String>> env) {

        Object value(Object v, String field, boolean credentialHeaders) {
            if (v == null) {
                return null;
            }
            if (v instanceof String s) {
                return field != null && SECRET_FIELDS.contains(field) ? REDACTED : fromEnv(s);
            }
            if (v instanceof Duration d) {
                return GoDuration.format(d);
            }
            if (v instanceof ByteSize b) {
                return b.bytes();
            }
            if (v instanceof Enum<?> e) {
                return e.name();
            }
            if (v instanceof Number || v instanceof Boolean) {
                return v;
            }
            if (v instanceof List<?> list) {
                List<Object> out = new ArrayList<>(list.size());
                for (Object item : list) {
                    out.add(value(item, null, false));
                }
                return out;
            }
            if (v instanceof Map<?, ?> map) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String key = String.valueOf(e.getKey());
                    out.put(key, credentialHeaders && isCredentialHeader(key) ? REDACTED : value(e.getValue(), null, false));
                }
                return out;
            }
            if (v.getClass().isRecord()) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (RecordComponent c : v.getClass().getRecordComponents()) {
                    Object child = value(read(c, v), c.getName(), field != null && HEADER_MAPS.contains(field));
                    if (child != null) {
                        out.put(c.getName(), child);
                    }
                }
                return out;
            }
            return fromEnv(v.toString());
        }

        private String fromEnv(String s) {
            String out = s;
            for (Map.Entry<String, String> e : env) {
                if (out.contains(e.getValue())) {
                    out = out.replace(e.getValue(), "${" + e.getKey() + "}");
                }
            }
            return out;
        }

        private static Object read(RecordComponent c, Object record) {
            try {
                return c.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
    }

    static boolean isCredentialHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return CREDENTIAL_HEADERS.contains(n) || n.contains("token") || n.contains("secret") || n.contains("key")
                || n.contains("password");
    }
}
