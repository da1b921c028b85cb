package io.portcullis.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream connection: relays everything to the exchange that holds the connection,
 * and looks after the connection while it idles in the pool (closes it on any unexpected byte, removes it
 * from the pool when the backend closes it; idle expiry is the pool's).
 */
public final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final Backend backend;
    private final UpstreamResponseDecoder decoder;
    private Channel channel;
    // Confined to the event loop the connection and its exchange share: no volatile needed.
    private UpstreamListener listener;
    private Throwable failure;
    private int uses;

    UpstreamHandler(Backend backend, UpstreamResponseDecoder decoder) {
        this.backend = backend;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
    }

    /** The connection this handler ends. */
    public Channel channel() {
        return channel;
    }

    public Backend backend() {
        return backend;
    }

    /** Attaches the exchange that will use this connection; counts the reuse. */
    public void attach(UpstreamListener l, boolean headRequest) {
        this.listener = l;
        decoder.headRequest(headRequest);
        uses++;
    }

    /** Detaches the exchange; the connection is idle (about to be pooled or closed). */
    public void detach() {
        this.listener = null;
    }

    /** True when the connection carried an exchange before (a reused keep-alive connection). */
    public boolean reused() {
        return uses > 1;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = listener;
        if (l == null || !(msg instanceof HttpObject)) {
            // Bytes from an idle backend are never a valid response: drop them and the connection.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        l.onResponseObject((HttpObject) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamWritabilityChanged();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamClosed(failure);
        } else {
            UpstreamPool.current().remove(backend, this);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) evt).isSuccess()) {
            // Kept so the exchange can say why (untrusted, wrong name, ...); the SslHandler closes next.
            if (failure == null) {
                failure = ((SslHandshakeCompletionEvent) evt).cause();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Reported to the exchange through channelInactive, which follows the close.
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }
}
