package io.portcullis.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * gRPC requests and the form of the gateway's own replies to them. A gRPC client reads the outcome of a call
 * from {@code grpc-status}, not from the HTTP status, so a local error reply (no route, 401, 429, 502, ...) is
 * sent as a gRPC error: HTTP 200, {@code content-type: application/grpc}, no body, {@code grpc-status} from the
 * HTTP status as gRPC's HTTP-to-gRPC mapping has it, and the short reason as {@code grpc-message}, in one HEADERS
 * frame (a "trailers-only" response). Other headers of the reply (WWW-Authenticate, rate-limit headers,
 * Retry-After) are kept.
 */
public final class Grpc {
    public static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    public static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("application/grpc");
    private static final String PREFIX = "application/grpc";

    /** gRPC status codes used by the mapping. */
    static final int UNKNOWN = 2;
    static final int PERMISSION_DENIED = 7;
    static final int UNIMPLEMENTED = 12;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;
    static final int UNAUTHENTICATED = 16;

    private Grpc() {}

    /** {@code content-type} is {@code application/grpc} or {@code application/grpc+...} (not gRPC-Web). */
    public static boolean isGrpc(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        return type.length() == PREFIX.length() || type.charAt(PREFIX.length()) == '+' || type.charAt(PREFIX.length()) == ';';
    }

    /** The gRPC status for an HTTP status, per gRPC's "HTTP to gRPC status code mapping". */
    static int statusFor(int httpStatus) {
        switch (httpStatus) {
            case 400:
                return INTERNAL;
            case 401:
                return UNAUTHENTICATED;
            case 403:
                return PERMISSION_DENIED;
            case 404:
                return UNIMPLEMENTED;
            case 429:
            case 502:
            case 503:
            case 504:
                return UNAVAILABLE;
            default:
                return UNKNOWN;
        }
    }

    /**
     * {@code reply} (an error, status 400 or above) as a gRPC error; takes ownership of {@code reply}. Replies
     * below 400 (redirects, direct responses) are returned unchanged.
     */
    public static FullHttpResponse localReply(FullHttpResponse reply) {
        int status = reply.status().code();
        if (status < 400) {
            return reply;
        }
        String message = reason(reply);
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
        HttpHeaders headers = out.headers().set(reply.headers());
        reply.release();
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        headers.setInt(GRPC_STATUS, statusFor(status));
        headers.set(GRPC_MESSAGE, percentEncode(message));
        return out;
    }

    /** The gateway's short text reason (its own text/plain bodies), else the HTTP reason phrase. */
    private static String reason(FullHttpResponse reply) {
        String type = reply.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (type.startsWith("text/plain") && reply.content().readableBytes() <= 256) {
            String text = reply.content().toString(StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                return text;
            }
        }
        return reply.status().reasonPhrase();
    }

    /** {@code grpc-message} encoding: UTF-8, bytes outside printable ASCII and {@code %} as {@code %XX}. */
    static String percentEncode(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
