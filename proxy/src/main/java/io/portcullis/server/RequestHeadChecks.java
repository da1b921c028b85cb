package io.portcullis.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.http.ProxyError;
import java.util.Iterator;
import java.util.Map;

/** Checks on a decoded request head that the decoder does not make: header count and exactly one Host. */
final class RequestHeadChecks {
    private RequestHeadChecks() {}

    /** The error for this head, or null when it is acceptable. */
    static ProxyError check(HttpRequest request, FrontendLimits limits, boolean http10) {
        HttpHeaders headers = request.headers();
        if (headers.size() > limits.maxHeaders()) {
            return ProxyError.HEADERS_TOO_LARGE;
        }
        int hosts = countHost(headers);
        if (hosts > 1 || (hosts == 0 && !http10)) {
            return ProxyError.MALFORMED_REQUEST;
        }
        return null;
    }

    private static int countHost(HttpHeaders headers) {
        String first = headers.get(HttpHeaderNames.HOST);
        if (first == null) {
            return 0;
        }
        if (first.isEmpty() || first.indexOf(',') >= 0) {
            return first.isEmpty() ? 1 : 2;
        }
        // Common case: one Host. Only walk all headers when a second one could exist.
        int n = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(it.next().getKey()) && ++n > 1) {
                return n;
            }
        }
        return n;
    }
}
