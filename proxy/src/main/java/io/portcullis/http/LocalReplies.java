package io.portcullis.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/** Builds the responses Portcullis answers itself. Bodies of errors are precomputed once. */
public final class LocalReplies {
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
    private static final Map<ProxyError, ByteBuf> ERROR_BODIES = new EnumMap<>(ProxyError.class);

    static {
        for (ProxyError e : ProxyError.values()) {
            byte[] bytes = (e.body() + "\n").getBytes(StandardCharsets.US_ASCII);
            ERROR_BODIES.put(e, Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly());
        }
    }

    private LocalReplies() {}

    /** The error's status and text/plain reason. The caller adds {@code Connection: close} when closing. */
    public static FullHttpResponse error(ProxyError error) {
        return text(error.status(), ERROR_BODIES.get(error).duplicate());
    }

    /** A response with a body owned by the response (released when written). */
    public static FullHttpResponse of(HttpResponseStatus status, ByteBuf body, CharSequence contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        if (contentType != null && body.isReadable()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    /** An empty-bodied response, e.g. a redirect. */
    public static FullHttpResponse empty(HttpResponseStatus status) {
        return of(status, Unpooled.EMPTY_BUFFER, null);
    }

    /**
     * A text/plain reply with a specific {@code message} (e.g. which token check failed). The message must
     * be fixed text chosen by the gateway: never echo request content or a secret into it.
     */
    public static FullHttpResponse text(HttpResponseStatus status, String message) {
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        return text(status, Unpooled.wrappedBuffer(bytes));
    }

    private static FullHttpResponse text(HttpResponseStatus status, ByteBuf body) {
        return of(status, body, TEXT_PLAIN);
    }

}
