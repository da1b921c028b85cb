package io.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadScannerTest {
    /** Feeds {@code head} split at every possible point; returns whether each split scanned clean. */
    static boolean cleanAtEverySplit(String head, boolean expectDone) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= bytes.length; split++) {
            HeadScanner s = new HeadScanner();
            s.reset();
            ByteBuf a = Unpooled.wrappedBuffer(bytes, 0, split);
            ByteBuf b = Unpooled.wrappedBuffer(bytes, split, bytes.length - split);
            boolean ok = s.scan(a) && (s.done() || s.scan(b));
            if (!ok) {
                return false;
            }
            assertThat(s.done()).as("done at split %d", split).isEqualTo(expectDone);
        }
        return true;
    }

    @Test
    void ordinaryHeadsScanClean() {
        assertThat(cleanAtEverySplit("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\r\n", true)).isTrue();
        assertThat(cleanAtEverySplit("\r\nGET / HTTP/1.1\nHost: a\n\n", true)).isTrue();
        assertThat(cleanAtEverySplit("GET / HTTP/1.1\r\nHost: a\r\n", false)).isTrue();
    }

    @Test
    void foldedHeaderLinesAreReported() {
        assertThat(cleanAtEverySplit("GET / HTTP/1.1\r\nX-A: b\r\n  folded\r\n\r\n", true)).isFalse();
        assertThat(cleanAtEverySplit("GET / HTTP/1.1\r\nX-A: b\r\n\tfolded\r\n\r\n", true)).isFalse();
    }

    @Test
    void bodyAfterTheHeadIsNotScanned() {
        assertThat(cleanAtEverySplit("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nx\r\n y\r\n", true)).isTrue();
    }
}
