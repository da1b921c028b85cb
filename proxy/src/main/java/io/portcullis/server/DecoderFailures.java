package io.portcullis.server;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.portcullis.http.ProxyError;

/** Maps a decoder failure to its error: request line too long 414, headers too large 431, anything else 400. */
final class DecoderFailures {
    private DecoderFailures() {}

    static ProxyError map(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ProxyError.URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return ProxyError.HEADERS_TOO_LARGE;
        }
        return ProxyError.MALFORMED_REQUEST;
    }
}
