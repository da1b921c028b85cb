package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
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
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
        List<String> named = null;
        while (values.hasNext()) {
            CharSequence value = values.next();
            int start = 0;
            int len = value.length();
            while (start < len) {
                int end = start;
                while (end < len && value.charAt(end) != ',') {
                    end++;
                }
                int s = start;
                int e = end;
                while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) {
                    s++;
                }
                while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) {
                    e--;
                }
                if (e > s && !isUsualToken(value, s, e)) {
                    if (named == null) {
                        named = new java.util.ArrayList<>(2);
                    }
                    named.add(value.subSequence(s, e).toString());
                }
                start = end + 1;
            }
        }
        if (named != null) {
            for (String name : named) {
                headers.remove(name);
            }
        }
    }

    private static boolean isUsualToken(CharSequence value, int s, int e) {
        return regionEqualsIgnoreCase(value, s, e, HttpHeaderValues.KEEP_ALIVE)
                || regionEqualsIgnoreCase(value, s, e, HttpHeaderValues.CLOSE);
    }

    private static boolean regionEqualsIgnoreCase(CharSequence value, int s, int e, AsciiString token) {
        if (e - s != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = value.charAt(s + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            if (c != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
