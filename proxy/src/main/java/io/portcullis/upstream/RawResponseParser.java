package io.portcullis.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;
import io.portcullis.http.HeaderNames;
import java.util.List;

/**
 * Reads the common backend response, a complete head followed by its complete {@code Content-Length} body, in
 * one pass over the bytes, into a {@link RawResponse}. Everything else is left to Netty's decoder, which then
 * reads the message from its first byte: partial or large heads, chunked or close-delimited bodies, bodies not
 * fully received yet, 1xx/101/204/304, and any line this parser is not sure about. So it needs to know no more
 * than the small case, and it is strict there: status line {@code HTTP/1.x DDD reason}; header names made of
 * token characters followed directly by the colon; values of visible characters, spaces, tabs and obs-text;
 * CRLF line ends (no bare LF, no folding); exactly one Content-Length of digits; no Transfer-Encoding; a
 * Connection header that says only {@code close} and/or {@code keep-alive} (other tokens name headers to
 * remove, which the decoded path does).
 *
 * <p>One instance per upstream connection; its scratch space is reused from response to response.
 */
final class RawResponseParser {
    /** Bytes looked at first; a head that does not end within them gets a second look at up to {@link #MAX_HEAD}. */
    private static final int FIRST_LOOK = 1024;
    private static final int MAX_HEAD = 16 * 1024;
    /** Header lines tracked (one bit each in the drop mask); more go to Netty's decoder. */
    private static final int MAX_LINES = 64;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** What {@link #parseHead} returns when the bytes end before the head does, or when the head is not one for it. */
    private static final int INCOMPLETE = -1;
    private static final int UNSUITED = -2;
    /** Where the minor version digit is in the status line ("HTTP/1.x"). */
    private static final int VERSION_MINOR = 7;

    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] VALUE = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        VALUE['\t'] = true;
        for (int c = 0x20; c < 0x7f; c++) {
            VALUE[c] = true;
        }
        for (int c = 0x80; c < 0x100; c++) {
            VALUE[c] = true; // obs-text
        }
    }

    private final byte[] scratch = new byte[MAX_HEAD];
    /** Start and end (after CRLF) of each header line of the head being read. */
    private final int[] lines = new int[MAX_LINES * 2];
    private final Head head = new Head();
    /** The decoder's limit: a longer status line is Netty's to refuse. */
    private final int maxStatusLine;

    RawResponseParser(int maxStatusLine) {
        this.maxStatusLine = maxStatusLine;
    }

    /**
     * The response at the start of {@code in}, consumed from it, or null (nothing consumed) when it is not the
     * simple case and Netty's decoder must read it.
     */
    RawResponse parse(ByteBuf in) {
        int readable = in.readableBytes();
        int looked = Math.min(readable, FIRST_LOOK);
        in.getBytes(in.readerIndex(), scratch, 0, looked);
        int end = parseHead(looked);
        if (end == INCOMPLETE && readable > looked) {
            looked = Math.min(readable, MAX_HEAD);
            in.getBytes(in.readerIndex(), scratch, 0, looked);
            end = parseHead(looked);
        }
        if (end < 0 || head.contentLength < 0 || readable - end < head.contentLength) {
            return null;
        }
        ByteBuf message = in.readRetainedSlice(end + (int) head.contentLength);
        int headLength = rewrite(message, end);
        return new RawResponse(message, head.status, headLength, head.keepAlive());
    }

    /**
     * Makes the head in {@code message} what the client gets: HTTP/1.1 in the status line, the hop-by-hop lines
     * left out (the kept lines move down over them, written from the scratch copy so nothing overlaps), the
     * reader index at the new start. Returns the new head length.
     */
    private int rewrite(ByteBuf message, int headLength) {
        int base = message.readerIndex();
        if (scratch[VERSION_MINOR] != '1') {
            scratch[VERSION_MINOR] = '1';
            message.setByte(base + VERSION_MINOR, '1');
        }
        if (head.dropped == 0) {
            return headLength;
        }
        int kept = headLength;
        for (int i = 0; i < head.lineCount; i++) {
            if (isDropped(i)) {
                kept -= lines[2 * i + 1] - lines[2 * i];
            }
        }
        // Written back to front, each kept line to its place just before the one after it.
        int w = base + headLength - 2; // the blank line stays where it is
        for (int i = head.lineCount - 1; i >= 0; i--) {
            if (!isDropped(i)) {
                int length = lines[2 * i + 1] - lines[2 * i];
                w -= length;
                message.setBytes(w, scratch, lines[2 * i], length);
            }
        }
        w -= head.statusLineEnd;
        message.setBytes(w, scratch, 0, head.statusLineEnd);
        message.readerIndex(w);
        return kept;
    }

    private boolean isDropped(int line) {
        return (head.dropped & (1L << line)) != 0;
    }

    /** What the head says; filled by {@link #parseHead}, one instance reused. */
    private static final class Head {
        int status;
        int statusLineEnd;
        int lineCount;
        long dropped;
        long contentLength;
        boolean close;
        boolean keepAliveToken;
        boolean http11;

        boolean keepAlive() {
            return !close && (http11 || keepAliveToken);
        }

        void reset() {
            lineCount = 0;
            dropped = 0;
            contentLength = -1;
            close = false;
            keepAliveToken = false;
        }
    }

    /** The length of the head (up to and including its blank line), or {@link #INCOMPLETE} / {@link #UNSUITED}. */
    private int parseHead(int n) {
        head.reset();
        byte[] b = scratch;
        if (n < 14) { // "HTTP/1.1 200\r\n"
            return INCOMPLETE;
        }
        if (b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || b[5] != '1' || b[6] != '.'
                || (b[7] != '1' && b[7] != '0') || b[8] != ' ') {
            return UNSUITED;
        }
        head.http11 = b[7] == '1';
        int status = digit(b[9]) * 100 + digit(b[10]) * 10 + digit(b[11]);
        if (status < 200 || status > 599 || status == 204 || status == 304) {
            return UNSUITED; // also: a non-digit made it negative
        }
        head.status = status;
        int p = 12;
        if (b[p] == ' ') {
            p++;
            while (p < n && b[p] != CR) {
                if (!VALUE[b[p] & 0xff]) {
                    return UNSUITED;
                }
                p++;
            }
        }
        if (p + 1 >= n) {
            return INCOMPLETE;
        }
        if (b[p] != CR || b[p + 1] != LF || p > maxStatusLine) {
            return UNSUITED;
        }
        p += 2;
        head.statusLineEnd = p;
        while (true) {
            if (p + 1 >= n) {
                return INCOMPLETE;
            }
            if (b[p] == CR) {
                if (b[p + 1] != LF) {
                    return UNSUITED;
                }
                return p + 2;
            }
            if (head.lineCount == MAX_LINES) {
                return UNSUITED;
            }
            int lineStart = p;
            while (p < n && TOKEN[b[p] & 0xff]) {
                p++;
            }
            if (p == n) {
                return INCOMPLETE;
            }
            if (p == lineStart || b[p] != ':') {
                return UNSUITED; // includes a folded line (starting with a space) and a space before the colon
            }
            int nameEnd = p++;
            while (p < n && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            int valueStart = p;
            int valueEnd = p;
            while (p < n && b[p] != CR) {
                byte c = b[p];
                if (!VALUE[c & 0xff]) {
                    return UNSUITED;
                }
                p++;
                if (c != ' ' && c != '\t') {
                    valueEnd = p;
                }
            }
            if (p + 1 >= n) {
                return INCOMPLETE;
            }
            if (b[p + 1] != LF) {
                return UNSUITED;
            }
            p += 2;
            lines[2 * head.lineCount] = lineStart;
            lines[2 * head.lineCount + 1] = p;
            if (!framing(lineStart, nameEnd, valueStart, valueEnd)) {
                return UNSUITED;
            }
            head.lineCount++;
        }
    }

    /**
     * Looks at one header for framing and hop-by-hop meaning; false when it makes the response unsuited.
     * Content-Length, Transfer-Encoding and the hop-by-hop names are compared only when the length matches.
     */
    private boolean framing(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        int length = nameEnd - nameStart;
        if (is(nameStart, length, HttpHeaderNames.CONTENT_LENGTH)) {
            if (head.contentLength >= 0) {
                return false; // a second one, even if equal: Netty's strict decoder refuses that
            }
            head.contentLength = digits(valueStart, valueEnd);
            return head.contentLength >= 0;
        }
        if (is(nameStart, length, HttpHeaderNames.TRANSFER_ENCODING)) {
            return false;
        }
        List<AsciiString> hopByHop = HeaderNames.HOP_BY_HOP;
        for (int i = 0; i < hopByHop.size(); i++) {
            if (is(nameStart, length, hopByHop.get(i))) {
                head.dropped |= 1L << head.lineCount;
                return i != 0 || connectionTokens(valueStart, valueEnd);
            }
        }
        return true;
    }

    /** Reads a Connection value; false when it names anything but close and keep-alive. */
    private boolean connectionTokens(int from, int to) {
        byte[] b = scratch;
        int p = from;
        while (p < to) {
            while (p < to && (b[p] == ' ' || b[p] == '\t' || b[p] == ',')) {
                p++;
            }
            int start = p;
            while (p < to && b[p] != ',' && b[p] != ' ' && b[p] != '\t') {
                p++;
            }
            int length = p - start;
            if (length == 0) {
                continue;
            }
            if (is(start, length, HttpHeaderValues.CLOSE)) {
                head.close = true;
            } else if (is(start, length, HttpHeaderValues.KEEP_ALIVE)) {
                head.keepAliveToken = true;
            } else {
                return false;
            }
        }
        return true;
    }

    /** Whether the {@code length} bytes at {@code from} are {@code name}, ignoring ASCII case. */
    private boolean is(int from, int length, AsciiString name) {
        if (length != name.length()) {
            return false;
        }
        byte[] b = scratch;
        for (int i = 0; i < length; i++) {
            // name is lower case letters and '-'; OR-ing 0x20 folds only letters onto them (CR, the one other
            // byte that folds onto '-', cannot be in a token)
            if ((b[from + i] | 0x20) != name.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A decimal number of 1 to 18 digits, or -1. */
    private long digits(int from, int to) {
        if (from == to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = scratch[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int digit(byte c) {
        int d = c - '0';
        return d >= 0 && d <= 9 ? d : -1000;
    }
}
