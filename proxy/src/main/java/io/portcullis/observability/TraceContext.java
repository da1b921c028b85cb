package io.portcullis.observability;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): a request forwarded to a backend always carries a
 * {@code traceparent}. A valid one from the client is passed on unchanged together with its
 * {@code tracestate} (Portcullis records no spans of its own, so it does not become the parent); a missing
 * or malformed one is replaced by a new trace ({@code 00-<32 hex>-<16 hex>-00}: not sampled, since nothing
 * here records it) and a {@code tracestate} that belonged to the malformed one is dropped, as the spec
 * requires. Ids come from {@link ThreadLocalRandom}: unique enough for tracing and never blocks.
 */
public final class TraceContext {
    public static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
    public static final AsciiString TRACESTATE = AsciiString.cached("tracestate");
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int LENGTH = 55;

    private TraceContext() {}

    /** Makes sure {@code headers} carry a valid {@code traceparent}; returns it. */
    public static CharSequence ensure(HttpHeaders headers) {
        String current = headers.get(TRACEPARENT);
        if (current != null && isValid(current)) {
            return current;
        }
        if (current != null) {
            headers.remove(TRACESTATE);
        }
        AsciiString created = create();
        headers.set(TRACEPARENT, created);
        return created;
    }

    /**
     * A new, unsampled traceparent with random non-zero ids; as bytes (an {@link AsciiString} over the array it
     * was written into), which the request encoder copies as they are.
     */
    public static AsciiString create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] b = new byte[LENGTH];
        b[0] = '0';
        b[1] = '0';
        b[2] = '-';
        long hi;
        long lo;
        do {
            hi = random.nextLong();
            lo = random.nextLong();
        } while (hi == 0 && lo == 0);
        hex(b, 3, hi);
        hex(b, 19, lo);
        b[35] = '-';
        long span;
        do {
            span = random.nextLong();
        } while (span == 0);
        hex(b, 36, span);
        b[52] = '-';
        b[53] = '0';
        b[54] = '0';
        return new AsciiString(b, false);
    }

    private static void hex(byte[] b, int at, long v) {
        for (int i = 15; i >= 0; i--) {
            b[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    /**
     * Version 00 syntax: {@code 2-32-16-2} lowercase hex, trace and parent ids not all zero, version not
     * {@code ff}. Higher versions are accepted when their first 55 characters parse, as the spec asks.
     */
    public static boolean isValid(String v) {
        if (v.length() < LENGTH || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return false;
        }
        if (!hexRange(v, 0, 2) || !hexRange(v, 3, 35) || !hexRange(v, 36, 52) || !hexRange(v, 53, 55)) {
            return false;
        }
        if (v.startsWith("ff") || (v.startsWith("00") && v.length() != LENGTH)) {
            return false;
        }
        if (v.length() > LENGTH && v.charAt(LENGTH) != '-') {
            return false;
        }
        return !zeros(v, 3, 35) && !zeros(v, 36, 52);
    }

    /** The trace id of a valid traceparent, else null. */
    static String traceId(String traceparent) {
        return traceparent != null && isValid(traceparent) ? traceparent.substring(3, 35) : null;
    }

    private static boolean hexRange(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (v.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
