package io.portcullis.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.portcullis.http.ProxyError;
import io.portcullis.routing.CompiledRoute;

/** The client connection as an exchange sees it. Implemented by the frontend handler; event loop only. */
public interface Downstream {
    ChannelHandlerContext ctx();

    /**
     * The exchange takes request-body parts now: parts already received are delivered at once (before this
     * returns), later ones as they arrive, until {@link #pauseRequestBody()} or the last part.
     */
    void requestBody();

    /** The exchange cannot take body parts for now (its upstream connection is not writable). */
    void pauseRequestBody();

    /** Adapts an upstream response head for the client (hop-by-hop headers, modifiers, keep-alive). */
    void prepareResponse(HttpResponse response, CompiledRoute route);

    /**
     * Whether a response head from {@code route}'s backend reaches the client unchanged but for its hop-by-hop
     * headers: an HTTP/1.1 client whose connection stays open, and no response header changes on the route or
     * from the request's policies. Then {@link #relay} can take the backend's bytes as they are.
     */
    boolean relaysUnchanged(CompiledRoute route);

    /**
     * A whole response with status {@code status}, already encoded for the client (see {@link #relaysUnchanged});
     * ownership of {@code bytes} passes to the client connection. {@link #exchangeComplete} follows.
     */
    void relay(int status, ByteBuf bytes);

    /**
     * The response was fully relayed: continue with the next request, or close when {@code forceClose} or
     * when the response said so.
     */
    void exchangeComplete(boolean forceClose);

    /**
     * The backend accepted a WebSocket upgrade ({@code 101}): send {@code response} and turn the connection and
     * {@code upstream} (which is no longer the exchange's, and never pooled again) into a tunnel.
     */
    void switchProtocols(HttpResponse response, CompiledRoute route, Channel upstream);

    /** No response byte was sent yet: answer locally with {@code error}. */
    void replyError(ProxyError error, boolean closeConnection);

    /** A response was partly sent and cannot be completed: drop the connection. */
    void abort();
}
