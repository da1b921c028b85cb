package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Removes hop-by-hop headers, including every header named in {@code Connection}. */
public final class HopByHop {
    private HopByHop() {}

    public static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            stripNamedInConnection(headers);
        }
        List<AsciiString> names = HeaderNames.HOP_BY_HOP;
        for (int i = 0; i < names.size(); i++) {
            headers.remove(names.get(i));
        }
    }

    /**
     * Removes the headers that {@code Connection} lists. The usual values, {@code keep-alive} and
     * {@code close}, name headers that are removed anyway, so they are skipped without allocating.
     */
    private static void stripNamedInConnection(HttpHeaders headers) {
        List<String> named = null;
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
        while (values.hasNext()) {
            HeaderTokens tokens = new HeaderTokens(values.next());
            while (tokens.advance()) {
                if (!tokens.is(HttpHeaderValues.KEEP_ALIVE) && !tokens.is(HttpHeaderValues.CLOSE)) {
                    if (named == null) {
                        named = new ArrayList<>(2);
                    }
                    named.add(tokens.text());
                }
            }
        }
        if (named != null) {
            for (String name : named) {
                headers.remove(name);
            }
        }
    }
}
