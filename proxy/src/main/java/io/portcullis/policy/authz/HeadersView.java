package io.portcullis.policy.authz;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code request.headers}: lower-case header names to their value, repeated headers joined with ", ". It is
 * a read-only view over the request's Netty headers: {@code request.headers["x-role"]} and
 * {@code has(request.headers.x)} look the one name up directly, and only what needs the whole map
 * ({@code size}, {@code exists}, equality) builds it, once. Keys are lower case, so a lookup with an
 * upper-case letter finds nothing, as in a map built by hand (Netty's own lookup ignores case).
 */
final class HeadersView extends AbstractMap<String, Object> {
    private final HttpHeaders headers;
    private Map<String, Object> all;

    HeadersView(HttpHeaders headers) {
        this.headers = requireNonNull(headers, "headers");
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name) || !isLowerCase(name)) {
            return null;
        }
        if (all != null) {
            return all.get(name);
        }
        // The common case is one value: find it without building a list. (Netty's value iterator runs
        // newest first, so repeated values are joined from getAll, which keeps the order they were sent in.)
        Iterator<String> values = headers.valueStringIterator(name);
        if (!values.hasNext()) {
            return null;
        }
        String only = values.next();
        return values.hasNext() ? String.join(", ", headers.getAll(name)) : only;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && isLowerCase(name) && headers.contains(name);
    }

    @Override
    public int size() {
        return materialise().size();
    }

    @Override
    public boolean isEmpty() {
        return headers.isEmpty();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return materialise().entrySet();
    }

    private Map<String, Object> materialise() {
        if (all == null) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Entry<String, String>> it = headers.iteratorAsString(); it.hasNext(); ) {
                Entry<String, String> header = it.next();
                map.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(), HeadersView::join);
            }
            all = Collections.unmodifiableMap(map);
        }
        return all;
    }

    private static Object join(Object earlier, Object later) {
        return earlier + ", " + later;
    }

    private static boolean isLowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return false;
            }
        }
        return true;
    }
}
