package io.portcullis.server;

import io.netty.buffer.ByteBuf;

/**
 * Scans the raw bytes of one request head, across reads, until the blank line that ends it, and reports
 * obsolete line folding: a header line that starts with a space or a tab. Leading blank lines before the
 * request line are tolerated, as the decoder does. Lines are found with {@code ByteBuf.indexOf}, so only
 * the first byte of each line is looked at one by one.
 */
final class HeadScanner {
    private boolean atLineStart;
    private boolean sawRequestLine;
    private boolean done;
    private int lineLength;
    private boolean lastByteCr;

    void reset() {
        atLineStart = true;
        sawRequestLine = false;
        done = false;
        lineLength = 0;
        lastByteCr = false;
    }

    boolean done() {
        return done;
    }

    /** Scans {@code buf} without moving its indexes; false when the head is folded. */
    boolean scan(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end && !done) {
            if (atLineStart) {
                byte first = buf.getByte(i);
                if ((first == ' ' || first == '\t') && sawRequestLine) {
                    return false;
                }
                atLineStart = false;
            }
            int nl = buf.indexOf(i, end, (byte) '\n');
            if (nl < 0) {
                lineLength += end - i;
                lastByteCr = buf.getByte(end - 1) == '\r';
                return true;
            }
            boolean crBeforeNl = nl > i ? buf.getByte(nl - 1) == '\r' : lastByteCr;
            int content = lineLength + (nl - i) - (crBeforeNl ? 1 : 0);
            if (content > 0) {
                sawRequestLine = true;
            } else if (sawRequestLine) {
                done = true;
            }
            atLineStart = true;
            lineLength = 0;
            lastByteCr = false;
            i = nl + 1;
        }
        return true;
    }
}
