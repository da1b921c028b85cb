package io.portcullis.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.portcullis.upstream.UpstreamHandler;
import java.util.concurrent.TimeUnit;

/**
 * Turns a client connection and the upstream connection that answered {@code 101 Switching Protocols} into a
 * WebSocket tunnel. On each side the HTTP codec goes and Netty's RFC 6455 frame codec and a
 * {@link WebSocketRelayHandler} take its place; TLS, if any, stays.
 *
 * <p>Frames are parsed rather than relayed as raw bytes so that the size limit means something: the frame
 * decoder refuses a frame over the limit before buffering it (close status 1009), the relay adds up the
 * frames of a fragmented message, and malformed frames (unmasked from the client, reserved opcodes, bad
 * lengths) end the tunnel instead of reaching the backend. Extensions (permessage-deflate) pass through: the
 * RSV bits are kept and the limit applies to the compressed size. The price is one copy per frame and the
 * client's frames re-masked towards the backend; a byte relay could only offer an idle limit.
 *
 * <p>Bytes that were already read past the handshake (held by the HTTP decoders) go to the frame decoders
 * when the HTTP ones are removed. Both connections share one event loop (the upstream connection was opened
 * on the client's), so the relays need no synchronisation.
 */
public final class WebSocketTunnel {
    private WebSocketTunnel() {}

    /**
     * Switches both pipelines; {@code clientHandler} is the type of the client connection's request handler,
     * which is replaced by the frame codec and the relay, as the {@link UpstreamHandler} is upstream.
     */
    public static void start(Channel client, Class<? extends ChannelHandler> clientHandler, Channel upstream,
                             long idleNanos, int maxMessage) {
        WebSocketRelayHandler fromClient = new WebSocketRelayHandler(upstream, maxMessage);
        WebSocketRelayHandler fromUpstream = new WebSocketRelayHandler(client, maxMessage);
        // Both sides can carry frames before either HTTP decoder goes: removing one hands on the bytes it
        // holds, whose frames are relayed to the other side at once.
        ChannelPipeline up = upstream.pipeline();
        install(up, UpstreamHandler.class, false, maxMessage, fromUpstream);
        up.remove(HttpRequestEncoder.class);
        ChannelPipeline cp = client.pipeline();
        install(cp, clientHandler, true, maxMessage, fromClient);
        // Every frame either way is a read or a write of the client connection, so one idle timer covers both.
        cp.addBefore("ws-relay", "ws-idle", new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
        cp.remove(HttpResponseEncoder.class);
        cp.remove(HttpRequestDecoder.class); // what the client sent after the handshake
        up.remove(HttpResponseDecoder.class); // frames the backend sent with its 101
        client.config().setAutoRead(true);
        upstream.config().setAutoRead(true);
        client.flush();
    }

    /**
     * The encoder sits before the decoder so that the close frame the decoder sends on a protocol violation
     * (from its own position in the pipeline) is encoded.
     */
    private static void install(ChannelPipeline p, Class<? extends ChannelHandler> replaced, boolean clientSide,
                                int maxMessage, WebSocketRelayHandler relay) {
        // Towards a backend the gateway is the client, whose frames must be masked; towards a client, the server.
        p.replace(replaced, "ws-encoder", new WebSocket08FrameEncoder(!clientSide));
        p.addAfter("ws-encoder", "ws-decoder", new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(clientSide)
                .allowMaskMismatch(false)
                .allowExtensions(true)
                .maxFramePayloadLength(maxMessage)
                .closeOnProtocolViolation(true)
                .build()));
        p.addAfter("ws-decoder", "ws-relay", relay);
    }
}
