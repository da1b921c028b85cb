package io.portcullis.policy.headers;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code add} / {@code set} / {@code remove} on a header block, names and values interned at load.
 * Applied in the order set, add, remove, so a name both set and removed ends up removed.
 */
public final class HeaderModifier {
    private final AsciiString[] setNames;
    private final String[] setValues;
    private final AsciiString[] addNames;
    private final String[] addValues;
    private final AsciiString[] removeNames;

    public HeaderModifier(Map<String, String> add, Map<String, String> set, List<String> remove) {
        List<AsciiString> sn = new ArrayList<>();
        List<String> sv = new ArrayList<>();
        orEmpty(set).forEach((k, v) -> {
            sn.add(name(k));
            sv.add(v);
        });
        List<AsciiString> an = new ArrayList<>();
        List<String> av = new ArrayList<>();
        orEmpty(add).forEach((k, v) -> {
            an.add(name(k));
            av.add(v);
        });
        List<AsciiString> rn = new ArrayList<>();
        if (remove != null) {
            remove.forEach(r -> rn.add(name(r)));
        }
        this.setNames = sn.toArray(new AsciiString[0]);
        this.setValues = sv.toArray(new String[0]);
        this.addNames = an.toArray(new AsciiString[0]);
        this.addValues = av.toArray(new String[0]);
        this.removeNames = rn.toArray(new AsciiString[0]);
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    private static AsciiString name(String n) {
        return AsciiString.cached(n.toLowerCase(Locale.ROOT));
    }

    public void apply(HttpHeaders headers) {
        for (int i = 0; i < setNames.length; i++) {
            headers.set(setNames[i], setValues[i]);
        }
        for (int i = 0; i < addNames.length; i++) {
            headers.add(addNames[i], addValues[i]);
        }
        for (AsciiString name : removeNames) {
            headers.remove(name);
        }
    }

    /** True when {@code set} names the Host header (it then wins over the backend authority). */
    public boolean setsHost() {
        for (AsciiString n : setNames) {
            if (n.contentEqualsIgnoreCase("host")) {
                return true;
            }
        }
        return false;
    }
}
