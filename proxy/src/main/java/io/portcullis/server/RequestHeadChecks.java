package io.portcullis.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.http.ProxyError;
import java.util.Iterator;

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

    /** Number of Host fields, counting at most two (a comma-joined value counts as two). */
    private static int countHost(HttpHeaders headers) {
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.HOST);
        int n = 0;
        while (values.hasNext() && n < 2) {
            CharSequence v = values.next();
            n += indexOf(v, ',') >= 0 ? 2 : 1;
        }
        return n;
    }

    private static int indexOf(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
