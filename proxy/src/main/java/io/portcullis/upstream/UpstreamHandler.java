package io.portcullis.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import javax.net.ssl.SSLException;

/**
 * Last handler of an upstream connection: relays everything to the exchange that holds the connection,
 * and looks after the connection while it idles in the pool (closes it on any unexpected byte, removes it
 * from the pool when the backend closes it; idle expiry is the pool's).
 *
 * <p>It also ends an HTTP/2 stream channel (one request on a {@link Http2Connection}); there it tells the
 * connection when the stream is gone and remembers whether the backend refused the stream unprocessed
 * (REFUSED_STREAM, or above the last stream id of a GOAWAY), which makes the request safe to send again.
 */
public final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    /** Why an HTTP/1.1 TLS connection closed at once: ALPN picked h2, the exchange goes again over HTTP/2. */
    public static final Throwable ALPN_CHOSE_HTTP2 = new SSLException("ALPN picked h2", null) {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final Backend backend;
    private final UpstreamResponseDecoder decoder;
    private final Http2Connection connection;
    private boolean refused;
    private Channel channel;
    // Confined to the event loop the connection and its exchange share: no volatile needed.
    private UpstreamListener listener;
    private Throwable failure;
    private int uses;

    UpstreamHandler(Backend backend, UpstreamResponseDecoder decoder) {
        this.backend = backend;
        this.decoder = decoder;
        this.connection = null;
    }

    /** The handler of one stream of {@code connection}. */
    UpstreamHandler(Backend backend, Http2Connection connection) {
        this.backend = backend;
        this.decoder = null;
        this.connection = connection;
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
        if (decoder != null) {
            decoder.headRequest(headRequest);
        }
        uses++;
    }

    /** Detaches the exchange; the connection is idle (about to be pooled or closed). */
    public void detach() {
        this.listener = null;
    }

    /**
     * True when a failed request may be sent again as if never sent: the connection carried an exchange before
     * (a reused keep-alive connection the backend may have closed meanwhile), or the backend refused the stream.
     */
    public boolean reused() {
        return connection == null ? uses > 1 : refused;
    }

    /** True for an HTTP/2 stream (closed after its one exchange, never pooled). */
    public boolean isStream() {
        return connection != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = listener;
        if (l == null || !(msg instanceof HttpObject)) {
            // Bytes from an idle backend are never a valid response: drop them and the connection. (On a stream,
            // frames other than HEADERS and DATA, e.g. unknown extension frames, are just dropped.)
            ReferenceCountUtil.release(msg);
            if (connection == null || l == null) {
                ctx.close();
            }
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
        if (connection != null) {
            connection.streamClosed();
            if (l != null) {
                l.onUpstreamClosed(failure);
            }
        } else if (l != null) {
            l.onUpstreamClosed(failure);
        } else {
            UpstreamPool.current().remove(backend, this);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            if (!((SslHandshakeCompletionEvent) evt).isSuccess()) {
                // Kept so the exchange can say why (untrusted, wrong name, ...); the SslHandler closes next.
                if (failure == null) {
                    failure = ((SslHandshakeCompletionEvent) evt).cause();
                }
            } else if (ApplicationProtocolNames.HTTP_2.equals(ctx.pipeline().get(SslHandler.class).applicationProtocol())) {
                // backendTLS offered h2 and the backend took it: this backend is served over HTTP/2 from now on.
                backend.alpnChoseHttp2();
                failure = ALPN_CHOSE_HTTP2;
                ctx.close();
            }
        } else if (evt instanceof Http2ResetFrame) {
            refused |= ((Http2ResetFrame) evt).errorCode() == Http2Error.REFUSED_STREAM.code();
        } else if (evt instanceof Http2GoAwayFrame) {
            refused = true; // sent for streams above the GOAWAY's last stream id: never processed
            ReferenceCountUtil.release(evt);
            return;
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
