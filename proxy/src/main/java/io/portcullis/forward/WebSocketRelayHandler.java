package io.portcullis.forward;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.server.DrainEvent;

/**
 * One direction of a {@link WebSocketTunnel}: frames read on this connection are written to the peer, flushed
 * at the end of each read, and reading stops while the peer cannot take more (resumed by the peer's relay
 * when its connection drains). Counts the bytes of the message in progress against the limit. Ends the
 * tunnel when either side closes, when the connection is idle too long, or when the gateway drains, sending a
 * close frame to both sides where the tunnel ends for the gateway's own reasons.
 */
final class WebSocketRelayHandler extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final int maxMessage;
    // The message in progress, of frames read on this connection; event-loop confined.
    private long messageBytes;

    WebSocketRelayHandler(Channel peer, int maxMessage) {
        this.peer = peer;
        this.maxMessage = maxMessage;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame)) {
            ReferenceCountUtil.release(msg); // the end of the 101 response
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        if (isDataFrame(frame)) {
            messageBytes += frame.content().readableBytes();
            if (messageBytes > maxMessage) {
                frame.release();
                end(ctx.channel(), WebSocketCloseStatus.MESSAGE_TOO_BIG);
                return;
            }
            if (frame.isFinalFragment()) {
                messageBytes = 0;
            }
        }
        // A write to a closed peer fails and releases the frame.
        peer.write(frame, peer.voidPromise());
    }

    /** Text, binary and continuation frames; control frames are not part of a message. */
    private static boolean isDataFrame(WebSocketFrame frame) {
        return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            end(ctx.channel(), WebSocketCloseStatus.ENDPOINT_UNAVAILABLE); // 1001 going away
        } else if (evt == DrainEvent.INSTANCE) {
            end(ctx.channel(), WebSocketCloseStatus.ENDPOINT_UNAVAILABLE);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Closes both sides with a close frame carrying {@code status}. */
    private void end(Channel self, WebSocketCloseStatus status) {
        for (Channel ch : new Channel[] {self, peer}) {
            if (ch.isActive()) {
                ch.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // What was relayed before the close still goes out, then the peer closes too.
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The frame decoder answers a protocol violation itself (close frame, then close); I/O errors end here.
        if (!(cause instanceof CorruptedWebSocketFrameException)) {
            ctx.close();
        }
    }
}
