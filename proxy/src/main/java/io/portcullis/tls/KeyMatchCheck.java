package io.portcullis.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Proves that a server context can complete a handshake, in memory, before it is used: building a context
 * does not check that the key belongs to the certificate (both providers defer that to the first handshake),
 * so a key from another pair, or a certificate renewed while its key is not yet replaced, would otherwise only
 * show up as every client's handshake failing. The context checked is {@code cert} and {@code key} alone
 * (no client-certificate requirement, default versions and ciphers), so only the pairing is judged.
 */
final class KeyMatchCheck {
    private static final int MAX_STEPS = 64;

    private KeyMatchCheck() {}

    /** Throws when a client cannot complete a handshake with {@code server}. */
    static void handshake(SslContext server) throws SSLException {
        SslContext client = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE) // the pairing is checked, not the chain
                .endpointIdentificationAlgorithm(null)
                .build();
        SSLEngine c = client.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
        try {
            ByteBuffer toServer = ByteBuffer.allocate(c.getSession().getPacketBufferSize() * 4);
            ByteBuffer toClient = ByteBuffer.allocate(s.getSession().getPacketBufferSize() * 4);
            ByteBuffer appData = ByteBuffer.allocate(Math.max(c.getSession().getApplicationBufferSize(),
                    s.getSession().getApplicationBufferSize()) * 2);
            c.beginHandshake();
            s.beginHandshake();
            for (int i = 0; i < MAX_STEPS; i++) {
                step(c, toServer, toClient, appData);
                step(s, toClient, toServer, appData);
                if (done(c) && done(s)) {
                    return;
                }
            }
            throw new SSLException("a test handshake did not complete");
        } catch (SSLException e) {
            SSLException mismatch = new SSLException("the key does not belong to the certificate "
                    + "(a test handshake with them failed: " + e.getMessage() + ")");
            mismatch.addSuppressed(e);
            throw mismatch;
        } finally {
            c.closeOutbound();
            s.closeOutbound();
            ReferenceCountUtil.release(s); // a BoringSSL engine holds native memory
            ReferenceCountUtil.release(c);
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** Lets {@code engine} write what it has to say into {@code out} and read what waits in {@code in}. */
    private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer appData) throws SSLException {
        engine.wrap(ByteBuffer.allocate(0), out);
        runTasks(engine);
        in.flip();
        while (in.hasRemaining()) {
            int before = in.remaining();
            appData.clear();
            engine.unwrap(in, appData);
            runTasks(engine);
            if (in.remaining() == before) {
                break; // needs more bytes
            }
        }
        in.compact();
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
