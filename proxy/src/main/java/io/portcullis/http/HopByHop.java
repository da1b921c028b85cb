package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** Removes hop-by-hop headers, including every header named in {@code Connection}. */
public final class HopByHop {
    private HopByHop() {}

    public static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            stripNamedInConnection(headers);
        }
        List<? extends CharSequence> names = HeaderNames.HOP_BY_HOP;
        for (int i = 0; i < names.size(); i++) {
            headers.remove(names.get(i));
        }
    }

    private static void stripNamedInConnection(HttpHeaders headers) {
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < connection.size(); i++) {
            for (String token : connection.get(i).split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    headers.remove(name);
                }
            }
        }
    }
}
