package io.portcullis.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * A whole backend response, head and {@code Content-Length} body, read in one go and kept as bytes (see
 * {@link RawResponseParser} for when a response qualifies). The parser has already made them what the client
 * gets when nothing about the head changes: the status line says HTTP/1.1 (the gateway's version, whatever the
 * backend's, RFC 9110 section 6.2) and the hop-by-hop header lines are gone. So the common small API answer
 * costs no header objects at all: {@link #relayBytes()} hands the buffer on, the way nginx and HAProxy relay
 * a response head. When the client side must change the head (header modifiers, CORS, {@code Connection:
 * close}, an HTTP/2 client), {@link #decodeHead()} and {@link #decodeBody()} give the usual Netty objects.
 *
 * <p>Owns its buffer (released with it).
 */
public final class RawResponse extends DefaultByteBufHolder implements HttpObject {
    /** "HTTP/1.1 " */
    private static final int STATUS_CODE_AT = 9;

    private final int status;
    private final int headLength;
    private final int bodyLength;
    private final boolean keepAlive;

    RawResponse(ByteBuf message, int status, int headLength, boolean keepAlive) {
        super(message);
        this.status = status;
        this.headLength = headLength;
        this.bodyLength = message.readableBytes() - headLength;
        this.keepAlive = keepAlive;
    }

    public int status() {
        return status;
    }

    /** Whether the backend lets its connection be reused after this response. */
    public boolean keepAlive() {
        return keepAlive;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** The response as the client gets it when its head does not change; ownership passes to the caller. */
    public ByteBuf relayBytes() {
        return content();
    }

    /**
     * The head as a Netty response (the slower path, for a head that changes); the body stays here until
     * {@link #decodeBody()}. The lines were validated by the parser: each is {@code name:value CRLF}.
     */
    public HttpResponse decodeHead() {
        ByteBuf message = content();
        int start = message.readerIndex();
        int end = start + headLength - 2; // before the blank line
        int lineEnd = message.indexOf(start, end, (byte) '\r');
        String reason = lineEnd > start + STATUS_CODE_AT + 4
                ? text(message, start + STATUS_CODE_AT + 4, lineEnd).trim() : "";
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status, reason),
                DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        HttpHeaders headers = response.headers();
        int p = lineEnd + 2;
        while (p < end) {
            int colon = message.indexOf(p, end, (byte) ':');
            lineEnd = message.indexOf(colon, end, (byte) '\r');
            headers.add(text(message, p, colon), text(message, colon + 1, lineEnd).trim());
            p = lineEnd + 2;
        }
        return response;
    }

    /** The body as the last (and only) content part; ownership of the buffer passes to it. */
    public LastHttpContent decodeBody() {
        ByteBuf message = content();
        message.skipBytes(headLength);
        return new DefaultLastHttpContent(message);
    }

    private static String text(ByteBuf message, int from, int to) {
        return message.toString(from, to - from, StandardCharsets.ISO_8859_1);
    }

    @Override
    public DecoderResult decoderResult() {
        return DecoderResult.SUCCESS;
    }

    @Override
    @Deprecated
    public DecoderResult getDecoderResult() {
        return DecoderResult.SUCCESS;
    }

    @Override
    public void setDecoderResult(DecoderResult result) {
        throw new UnsupportedOperationException("a raw response is always a successfully parsed one");
    }

    @Override
    public String toString() {
        return "RawResponse(" + status + ", " + content().readableBytes() + " bytes)";
    }
}
