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
 * A whole backend response, head and {@code Content-Length} body, read in one go and kept as the bytes the
 * backend sent (see {@link RawResponseParser} for when a response qualifies). The common small API answer
 * then costs no header objects at all: {@link #relayBytes()} hands the same bytes on to the client, minus the
 * hop-by-hop header lines, the way nginx and HAProxy relay a response head. When the client side needs to
 * change the head (header modifiers, CORS, {@code Connection: close}, an HTTP/2 client), {@link #decodeHead()}
 * and {@link #decodeBody()} give the usual Netty objects instead.
 *
 * <p>Owns its buffer (released with it); the head's layout is kept in a small int array, five entries per
 * header line: line start, name end, value start, value end (whitespace trimmed), line end (after CRLF).
 */
public final class RawResponse extends DefaultByteBufHolder implements HttpObject {
    static final int LINE_START = 0;
    static final int NAME_END = 1;
    static final int VALUE_START = 2;
    static final int VALUE_END = 3;
    static final int LINE_END = 4;
    static final int FIELDS = 5;
    /** Where the minor version digit is in the status line ("HTTP/1.x"). */
    private static final int VERSION_MINOR = 7;

    private final HttpVersion version;
    private final int status;
    private final byte[] head;
    private final int statusLineEnd;
    private final int[] lines;
    private final int lineCount;
    /** Bit i set: header line i is hop-by-hop and is not relayed. */
    private final long dropped;
    private final boolean keepAlive;
    private final int bodyLength;

    RawResponse(ByteBuf message, HttpVersion version, int status, byte[] head, int statusLineEnd, int[] lines,
                int lineCount, long dropped, boolean keepAlive) {
        super(message);
        this.version = version;
        this.status = status;
        this.head = head;
        this.statusLineEnd = statusLineEnd;
        this.lines = lines;
        this.lineCount = lineCount;
        this.dropped = dropped;
        this.keepAlive = keepAlive;
        this.bodyLength = message.readableBytes() - head.length;
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

    /**
     * The response as the client gets it: status line (as HTTP/1.1) and end-to-end header lines as received,
     * then the body, in the same buffer (the kept lines are moved up over the dropped ones). Ownership passes
     * to the caller.
     */
    public ByteBuf relayBytes() {
        ByteBuf message = content();
        if (version == HttpVersion.HTTP_1_0) {
            // The gateway speaks HTTP/1.1 to its client whatever the backend speaks (RFC 9110 section 6.2).
            head[VERSION_MINOR] = '1';
            message.setByte(message.readerIndex() + VERSION_MINOR, '1');
        }
        if (dropped == 0) {
            return message;
        }
        int kept = statusLineEnd + 2;
        for (int i = 0; i < lineCount; i++) {
            if (!isDropped(i)) {
                kept += lineLength(i);
            }
        }
        int start = message.readerIndex() + head.length - kept;
        int w = start;
        message.setBytes(w, head, 0, statusLineEnd);
        w += statusLineEnd;
        for (int i = 0; i < lineCount; i++) {
            if (!isDropped(i)) {
                int from = lines[i * FIELDS + LINE_START];
                message.setBytes(w, head, from, lineLength(i));
                w += lineLength(i);
            }
        }
        // The blank line ending the head is already in place: it is the head's last two bytes.
        message.readerIndex(start);
        return message;
    }

    /**
     * The head as a Netty response, every header included (hop-by-hop ones too: the frontend strips those itself
     * on this path). The body stays here until {@link #decodeBody()}.
     */
    public HttpResponse decodeHead() {
        int reasonStart = version.text().length() + 5; // after "HTTP/1.1 200 "
        String reason = reasonStart < statusLineEnd - 2 ? text(reasonStart, statusLineEnd - 2).trim() : "";
        HttpResponse response = new DefaultHttpResponse(version, HttpResponseStatus.valueOf(status, reason),
                DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        HttpHeaders headers = response.headers();
        for (int i = 0; i < lineCount; i++) {
            int f = i * FIELDS;
            headers.add(text(lines[f + LINE_START], lines[f + NAME_END]),
                    text(lines[f + VALUE_START], lines[f + VALUE_END]));
        }
        return response;
    }

    /** The body as the last (and only) content part; ownership of the buffer passes to it. */
    public LastHttpContent decodeBody() {
        ByteBuf message = content();
        message.skipBytes(head.length);
        return new DefaultLastHttpContent(message);
    }

    private String text(int from, int to) {
        return new String(head, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private boolean isDropped(int line) {
        return (dropped & (1L << line)) != 0;
    }

    private int lineLength(int line) {
        return lines[line * FIELDS + LINE_END] - lines[line * FIELDS + LINE_START];
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
