package io.portcullis.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.http.ProxyError;
import java.util.Iterator;

/**
 * Checks on a decoded request head that the decoder does not make: header count, exactly one Host with a
 * valid {@code uri-host[:port]} value (RFC 9112 section 3.2), and Transfer-Encoding exactly {@code chunked}
 * (a coding list such as {@code gzip, chunked} is refused: nothing behind the gateway needs it, and every
 * extra framing form is a smuggling risk).
 */
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
        if (hosts == 1 && !HostSyntax.isValid(headers.get(HttpHeaderNames.HOST))) {
            return ProxyError.MALFORMED_REQUEST;
        }
        String te = headers.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (te != null && (!HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(te.trim())
                || headers.getAll(HttpHeaderNames.TRANSFER_ENCODING).size() > 1)) {
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
