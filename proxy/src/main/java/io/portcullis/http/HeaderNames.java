package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.List;

/** Header names Portcullis handles itself, as cached {@link AsciiString}s (hash computed once). */
public final class HeaderNames {
    public static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    public static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    public static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    /**
     * Hop-by-hop headers (RFC 9110 section 7.6.1 plus the legacy ones) removed in both directions.
     * Framing headers (Content-Length, Transfer-Encoding) are not here: Portcullis streams bodies as they
     * were framed, after the strict decoder validated them.
     */
    public static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION);

    private HeaderNames() {}
}
