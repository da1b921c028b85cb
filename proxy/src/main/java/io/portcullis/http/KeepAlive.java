package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;

/**
 * Whether a message allows its connection to be reused: the version's default unless {@code Connection}
 * says otherwise. One header lookup in the common case (no Connection header), where Netty's
 * {@code HttpUtil.isKeepAlive} iterates the values of a token list.
 */
public final class KeepAlive {
    private KeepAlive() {}

    public static boolean of(HttpMessage message) {
        String connection = message.headers().get(HttpHeaderNames.CONNECTION);
        if (connection == null) {
            return message.protocolVersion().isKeepAliveDefault();
        }
        if (hasToken(connection, HttpHeaderValues.CLOSE)) {
            return false;
        }
        return message.protocolVersion().isKeepAliveDefault() || hasToken(connection, HttpHeaderValues.KEEP_ALIVE);
    }

    private static boolean hasToken(String value, CharSequence token) {
        int len = value.length();
        int start = 0;
        while (start < len) {
            int end = value.indexOf(',', start);
            if (end < 0) {
                end = len;
            }
            int s = start;
            int e = end;
            while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) {
                e--;
            }
            if (e - s == token.length() && value.regionMatches(true, s, token.toString(), 0, e - s)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
