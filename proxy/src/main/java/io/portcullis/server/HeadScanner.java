package io.portcullis.server;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Scans the raw bytes of one request head, across reads, until the blank line that ends it, and reports
 * obsolete line folding: a header line that starts with a space or a tab. Leading blank lines before the
 * request line are tolerated, as the decoder does.
 */
final class HeadScanner implements ByteProcessor {
    private static final int LINE_START = 0;
    private static final int IN_LINE = 1;
    private static final int AFTER_CR = 2;
    private static final int DONE = 3;
    private static final int FOLDED = 4;

    private int state;
    private boolean sawRequestLine;
    private boolean lineEmpty;

    void reset() {
        state = LINE_START;
        sawRequestLine = false;
        lineEmpty = true;
    }

    boolean done() {
        return state == DONE;
    }

    /** Scans {@code buf} without moving its indexes; false when the head is folded. */
    boolean scan(ByteBuf buf) {
        buf.forEachByte(this);
        return state != FOLDED;
    }

    @Override
    public boolean process(byte b) {
        switch (state) {
            case LINE_START:
                if (b == '\r') {
                    state = AFTER_CR;
                    return true;
                }
                if (b == '\n') {
                    return endOfLine();
                }
                if ((b == ' ' || b == '\t') && sawRequestLine) {
                    state = FOLDED;
                    return false;
                }
                lineEmpty = false;
                state = IN_LINE;
                return true;
            case IN_LINE:
                if (b == '\r') {
                    state = AFTER_CR;
                } else if (b == '\n') {
                    return endOfLine();
                }
                return true;
            case AFTER_CR:
                if (b == '\n') {
                    return endOfLine();
                }
                lineEmpty = false;
                state = IN_LINE;
                return true;
            default:
                return false;
        }
    }

    private boolean endOfLine() {
        if (lineEmpty) {
            if (sawRequestLine) {
                state = DONE;
                return false;
            }
        } else {
            sawRequestLine = true;
        }
        lineEmpty = true;
        state = LINE_START;
        return true;
    }
}
