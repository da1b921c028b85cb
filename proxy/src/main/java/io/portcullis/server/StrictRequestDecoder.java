package io.portcullis.server;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder with the strict framing the design asks for: strict line parsing (no bare LF),
 * no duplicate Content-Length, only {@code chunked} as Transfer-Encoding (RFC 9112), and a request that
 * carries both Content-Length and Transfer-Encoding is rejected (400) rather than repaired, since the two
 * framings are the classic request-smuggling vector.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    public StrictRequestDecoder(FrontendLimits limits) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(limits.bufferLimit())
                .setAllowDuplicateContentLengths(false)
                .setAllowPartialChunks(true)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setValidateHeaders(true));
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding");
    }
}
