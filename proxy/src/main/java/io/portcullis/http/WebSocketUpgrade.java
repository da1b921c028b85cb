package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;

/**
 * The WebSocket opening handshake as the gateway sees it (RFC 6455 section 4): which requests ask for the
 * upgrade, and the two hop-by-hop headers that must survive {@link HopByHop#strip} for the backend (and then
 * the client) to see them. Only {@code websocket} is tunnelled; any other {@code Upgrade} (h2c, ...) is
 * removed as before and the request is served as plain HTTP/1.1.
 */
public final class WebSocketUpgrade {
    private WebSocketUpgrade() {}

    /**
     * Whether {@code request} asks for a WebSocket: an HTTP/1.1 GET without a body whose {@code Upgrade} lists
     * {@code websocket} and whose {@code Connection} lists {@code upgrade}.
     */
    public static boolean isRequest(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return HttpMethod.GET.equals(request.method())
                && HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && isZeroOrAbsent(headers.get(HttpHeaderNames.CONTENT_LENGTH))
                && lists(headers, HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                && lists(headers, HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }

    /** Whether the backend accepted: 101 with {@code Upgrade: websocket}. */
    public static boolean isAccepted(HttpResponse response) {
        return response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
                && lists(response.headers(), HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }

    /** Puts back the two headers the handshake needs after the hop-by-hop ones were removed. */
    public static void restoreHeaders(HttpHeaders headers) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }

    private static boolean isZeroOrAbsent(String contentLength) {
        return contentLength == null || "0".equals(contentLength.trim());
    }

    private static boolean lists(HttpHeaders headers, CharSequence name, CharSequence token) {
        for (Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(name); values.hasNext(); ) {
            HeaderTokens tokens = new HeaderTokens(values.next());
            while (tokens.advance()) {
                if (tokens.is(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
