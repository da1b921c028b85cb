package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Removes hop-by-hop headers, including every header named in {@code Connection}. */
public final class HopByHop {
    private HopByHop() {}

    /**
     * One pass over the header names finds the hop-by-hop ones (usually none, or just Connection), so
     * only those are removed, rather than one hash lookup per hop-by-hop name on every message.
     */
    public static void strip(HttpHeaders headers) {
        int found = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            found |= hopByHopBit(it.next().getKey());
        }
        if (found == 0) {
            return;
        }
        if ((found & 1) != 0) {
            stripNamedInConnection(headers);
        }
        List<AsciiString> names = HeaderNames.HOP_BY_HOP;
        for (int i = 0; i < names.size(); i++) {
            if ((found & (1 << i)) != 0) {
                headers.remove(names.get(i));
            }
        }
    }

    /**
     * Removes the {@code x-http2-*} headers (stream id, scheme, ...) that Netty's HTTP/2 conversion adds to the
     * HTTP/1.x view of a stream: they are not the peer's and must not be passed on.
     */
    public static void stripHttp2Conversion(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
    }

    /** The bit of {@code name}'s index in {@link HeaderNames#HOP_BY_HOP}, or 0 when it is not one. */
    private static int hopByHopBit(CharSequence name) {
        List<AsciiString> names = HeaderNames.HOP_BY_HOP;
        for (int i = 0; i < names.size(); i++) {
            AsciiString candidate = names.get(i);
            if (candidate.length() == name.length() && candidate.contentEqualsIgnoreCase(name)) {
                return 1 << i;
            }
        }
        return 0;
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
