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
        boolean keepAlive = message.protocolVersion().isKeepAliveDefault();
        if (connection == null) {
            return keepAlive;
        }
        HeaderTokens tokens = new HeaderTokens(connection);
        while (tokens.advance()) {
            if (tokens.is(HttpHeaderValues.CLOSE)) {
                return false;
            }
            if (tokens.is(HttpHeaderValues.KEEP_ALIVE)) {
                keepAlive = true;
            }
        }
        return keepAlive;
    }
}
