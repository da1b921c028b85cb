package io.portcullis.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.portcullis.http.HopByHop;
import io.portcullis.http.KeepAlive;
import io.portcullis.http.ProxyError;
import io.portcullis.http.WebSocketUpgrade;
import io.portcullis.routing.CompiledRoute;
import io.portcullis.routing.ForwardSettings;
import io.portcullis.upstream.Backend;
import io.portcullis.upstream.Http2Connections;
import io.portcullis.upstream.Http2StreamRequester;
import io.portcullis.upstream.RawResponse;
import io.portcullis.upstream.UpstreamConnector;
import io.portcullis.upstream.UpstreamHandler;
import io.portcullis.upstream.UpstreamListener;
import io.portcullis.upstream.UpstreamPool;
import io.portcullis.upstream.UpstreamSettings;
import io.portcullis.upstream.UpstreamTlsFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request forwarded to a backend and its response relayed back, with explicit backpressure both ways:
 * when the upstream connection stops being writable the client's request body is paused (the client
 * connection stops reading), and when the client connection stops being writable the backend's response
 * is paused, each until the write buffer drains below its low watermark. Reading is otherwise left on, so
 * the common small exchange costs no extra system calls to toggle interest in the socket.
 *
 * <p>Requests without a body, or with a small declared body, are collected first and sent in one write;
 * that makes them replayable for retries. Larger or chunked bodies stream, and only connect failures
 * (nothing sent yet) are retried for them.
 *
 * <p>Everything here runs on the one event loop shared by the client connection and the upstream
 * connection, so no field needs synchronisation.
 */
public final class ProxyExchange implements UpstreamListener, ChannelFutureListener, Http2StreamRequester {
    private static final int MAX_STALE_RETRIES = 2;

    private final Downstream downstream;
    private final ChannelHandlerContext downCtx;
    private final HttpRequest request;
    private final CompiledRoute route;
    private final ForwardSettings settings;
    private final UpstreamConnector connector;
    private final String authorityOverride;
    private final boolean collectBody;
    private final boolean grpc;
    /** A WebSocket handshake (the frontend kept its Upgrade header): a 101 turns the exchange into a tunnel. */
    private final boolean upgrade;

    private List<HttpContent> body; // collected body parts, kept until the response head when replayable
    private long bodyBytes;
    private long responseBytes;
    private boolean requestComplete;
    private boolean requestSent;
    private Backend backend;
    private Channel upstream;
    private UpstreamHandler upstreamHandler;
    private int attempt;
    private boolean responseStarted;
    private boolean discardingResponse;
    private boolean awaitingUpstreamWritable;
    private boolean awaitingClientWritable;
    private boolean done;
    private boolean reuseUpstream;
    private int staleRetries;
    private HttpResponse heldHead;
    private ScheduledFuture<?> requestTimer;
    private ScheduledFuture<?> attemptTimer;

    /** {@code grpc}: a gRPC request, which goes to its backend over HTTP/2 (see {@link Backend#usesHttp2}). */
    public ProxyExchange(Downstream downstream, HttpRequest request, boolean hasBody, long declaredLength,
                         CompiledRoute route, UpstreamConnector connector, String authorityOverride, boolean grpc) {
        this.downstream = downstream;
        this.downCtx = downstream.ctx();
        this.request = request;
        this.route = route;
        this.settings = route.forward();
        this.connector = connector;
        this.authorityOverride = authorityOverride;
        this.grpc = grpc;
        this.collectBody = !hasBody || (declaredLength >= 0 && declaredLength <= ForwardSettings.MAX_REPLAYABLE_BODY);
        this.upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
    }

    /** Starts the exchange after routing and policies. */
    public void start() {
        if (settings.requestTimeoutNanos() > 0) {
            requestTimer = downCtx.executor().schedule(
                    () -> timeout(ProxyError.REQUEST_TIMEOUT), settings.requestTimeoutNanos(), TimeUnit.NANOSECONDS);
        }
        if (collectBody) {
            body = new ArrayList<>(2);
            downstream.requestBody();
        } else {
            connect();
        }
    }

    // ------------------------------------------------------------------ request direction

    /** A request-body part from the client (ownership passes to this exchange). */
    public void onRequestContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        bodyBytes += content.content().readableBytes();
        if (bodyBytes > settings.maxRequestBodySize()) {
            content.release();
            fail(ProxyError.BODY_TOO_LARGE);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
        }
        if (collectBody) {
            body.add(content);
            if (last) {
                connect();
            }
            return;
        }
        upstream.writeAndFlush(content, upstream.voidPromise());
        if (last) {
            requestSent();
        } else if (!upstream.isWritable() && !awaitingUpstreamWritable) {
            awaitingUpstreamWritable = true;
            downstream.pauseRequestBody();
        }
    }

    private void connect() {
        attempt++;
        backend = route.backends().select();
        if (backend == null) {
            fail(ProxyError.NO_HEALTHY_BACKEND);
            return;
        }
        if (!upgrade && backend.usesHttp2(grpc)) { // a WebSocket handshake is HTTP/1.1 only (no RFC 8441)
            Http2Connections.current().openStream(downCtx.channel().eventLoop(), connector, backend, this);
            return;
        }
        UpstreamHandler pooled = UpstreamPool.current().acquire(backend, connector.settings().idleTimeoutNanos());
        if (pooled != null) {
            attach(pooled);
            return;
        }
        connector.connect(downCtx.channel().eventLoop(), backend).addListener(this);
    }

    /** Connect completion. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (done) {
            if (future.isSuccess()) {
                future.channel().close();
            }
            return;
        }
        if (!future.isSuccess()) {
            backend.eject(System.nanoTime());
            if (canRetry()) {
                retry();
            } else {
                fail(ProxyError.UPSTREAM_CONNECT_FAILED);
            }
            return;
        }
        backend.markHealthy();
        attach(future.channel().pipeline().get(UpstreamHandler.class));
    }

    /** An HTTP/2 stream to the backend is open. */
    @Override
    public void onStream(UpstreamHandler stream) {
        backend.markHealthy();
        attach(stream);
    }

    /** No HTTP/2 stream could be opened: as a failed connect, or as a connection closed before the response. */
    @Override
    public void onStreamFailed(Throwable cause, boolean connectFailed) {
        if (done) {
            return;
        }
        if (connectFailed) {
            backend.eject(System.nanoTime());
        }
        ProxyError tlsFailure = UpstreamTlsFailures.classify(cause);
        if (tlsFailure == null && canRetry() && (connectFailed || (body != null && requestComplete))) {
            retry();
        } else {
            fail(tlsFailure != null ? tlsFailure : connectFailed ? ProxyError.UPSTREAM_CONNECT_FAILED : ProxyError.UPSTREAM_RESET);
        }
    }

    private void attach(UpstreamHandler handler) {
        upstream = handler.channel();
        upstreamHandler = handler;
        handler.attach(this, HttpMethod.HEAD.equals(request.method()));
        HttpHeaders headers = request.headers();
        headers.set(HttpHeaderNames.HOST, authorityOverride != null ? authorityOverride : backend.authority());
        if (handler.isStream()) {
            if (grpc) {
                // Hop-by-hop, so removed from the client's request; gRPC servers expect it on theirs.
                headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
            }
        } else if (attempt > 1) {
            HopByHop.stripHttp2Conversion(headers); // an earlier attempt went over HTTP/2
        }
        if (settings.backendRequestTimeoutNanos() > 0) {
            attemptTimer = downCtx.executor().schedule(
                    () -> timeout(ProxyError.UPSTREAM_TIMEOUT), settings.backendRequestTimeoutNanos(), TimeUnit.NANOSECONDS);
        }
        if (collectBody) {
            // The collected body stays until the response head: a retry, or a pooled connection that turns
            // out to be closed by the backend, sends it again.
            if (body.size() == 1) {
                // Head and whole body as one message: the encoder writes them into one buffer.
                LastHttpContent only = (LastHttpContent) body.get(0);
                upstream.write(new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                        only.content().retainedDuplicate(), request.headers(), only.trailingHeaders()),
                        upstream.voidPromise());
            } else {
                upstream.write(request, upstream.voidPromise());
                for (HttpContent part : body) {
                    upstream.write(part.retainedDuplicate(), upstream.voidPromise());
                }
            }
            requestSent();
            upstream.flush();
        } else {
            upstream.write(request, upstream.voidPromise());
            upstream.flush();
            downstream.requestBody();
        }
    }

    private void requestSent() {
        requestSent = true;
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        if (awaitingUpstreamWritable && upstream.isWritable()) {
            awaitingUpstreamWritable = false;
            downstream.requestBody();
        }
    }

    // ------------------------------------------------------------------ response direction

    @Override
    public void onResponseObject(HttpObject msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof RawResponse) {
            onRawResponse((RawResponse) msg);
            return;
        }
        if (msg instanceof HttpResponse) {
            onResponseHead((HttpResponse) msg);
        }
        if (msg instanceof HttpContent) {
            onResponseContent((HttpContent) msg);
        }
    }

    /**
     * A whole response kept as bytes: relayed as they are (minus hop-by-hop lines) when the client gets the head
     * unchanged, else decoded into the head and body every other response goes through.
     */
    private void onRawResponse(RawResponse response) {
        int status = response.status();
        if (retriesOn(status)) {
            response.release();
            closeUpstream();
            retry();
            return;
        }
        if (!downstream.relaysUnchanged(route)) {
            HttpResponse head = response.decodeHead();
            HttpContent last = response.decodeBody();
            onResponseHead(head);
            onResponseObject(last);
            return;
        }
        cancel(attemptTimer);
        releaseBody();
        responseStarted = true;
        reuseUpstream = response.keepAlive();
        responseBytes += response.bodyLength();
        downstream.relay(status, response.relayBytes());
        complete();
    }

    private void onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            ReferenceCountUtil.release(response);
            closeUpstream();
            fail(ProxyError.UPSTREAM_MALFORMED);
            return;
        }
        int status = response.status().code();
        if (status == 101) {
            if (upgrade && WebSocketUpgrade.isAccepted(response)) {
                switchProtocols(response);
            } else { // switching to something nobody asked for: the connection cannot be read as HTTP any more
                ReferenceCountUtil.release(response);
                closeUpstream();
                fail(ProxyError.UPSTREAM_MALFORMED);
            }
            return;
        }
        if (status >= 100 && status < 200) {
            // Interim responses (100 Continue is answered by the gateway itself, 103 is dropped).
            discardingResponse = true;
            return;
        }
        cancel(attemptTimer);
        if (retriesOn(status)) {
            discardingResponse = true;
            closeUpstream();
            retry();
            return;
        }
        releaseBody();
        responseStarted = true;
        if (upstreamHandler.isStream()) {
            HopByHop.stripHttp2Conversion(response.headers());
            reuseUpstream = false; // a stream carries one exchange; it is closed, never pooled
        } else {
            reuseUpstream = KeepAlive.of(response);
        }
        downstream.prepareResponse(response, route);
        // Held until the body part that follows it in the same read, so that a small response goes out
        // as one message (one buffer, one iovec); written alone at the end of the read otherwise.
        heldHead = response;
    }

    /** The backend accepted the WebSocket handshake: the connection leaves the exchange (and the pool) for good. */
    private void switchProtocols(HttpResponse response) {
        done = true;
        cancelTimers();
        releaseBody();
        Channel up = upstream;
        upstreamHandler.detach();
        upstream = null;
        downstream.switchProtocols(response, route, up);
    }

    private void writeHeldHead() {
        if (heldHead != null) {
            downCtx.write(heldHead, downCtx.voidPromise());
            heldHead = null;
        }
    }

    private void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (discardingResponse) {
            content.release();
            if (last) {
                discardingResponse = false;
            }
            return;
        }
        responseBytes += content.content().readableBytes();
        if (heldHead != null && last) {
            HttpResponse head = heldHead;
            heldHead = null;
            downCtx.write(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), content.content(),
                    head.headers(), ((LastHttpContent) content).trailingHeaders()), downCtx.voidPromise());
        } else {
            writeHeldHead();
            downCtx.write(content, downCtx.voidPromise());
        }
        if (last) {
            complete();
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (done) {
            return;
        }
        writeHeldHead();
        downCtx.flush();
        if (!downCtx.channel().isWritable() && !awaitingClientWritable) {
            awaitingClientWritable = true;
            upstream.config().setAutoRead(false);
        }
    }

    /** The client connection became writable again. */
    public void onClientWritabilityChanged() {
        if (awaitingClientWritable && !done && downCtx.channel().isWritable()) {
            awaitingClientWritable = false;
            upstream.config().setAutoRead(true);
        }
    }

    private void complete() {
        done = true;
        cancelTimers();
        Channel up = upstream;
        UpstreamHandler handler = upstreamHandler;
        handler.detach();
        upstream = null;
        boolean reusable = reuseUpstream && requestComplete && requestSent && up.isActive();
        if (reusable) {
            // Reading stays on while pooled, so a close or stray bytes from the backend are noticed at once.
            up.config().setAutoRead(true);
            UpstreamSettings us = connector.settings();
            UpstreamPool.current().release(backend, handler, us.maxIdlePerBackend(), us.idleTimeoutNanos(),
                    connector.metrics().backend(backend.authority()).poolIdle());
        } else {
            up.close();
        }
        // A backend may answer before the whole request body arrived (e.g. its own 413): the rest of the
        // request is still on the client connection, so it cannot carry another request.
        downstream.exchangeComplete(!requestComplete);
    }

    // ------------------------------------------------------------------ failures

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (done) {
            return;
        }
        upstream = null;
        if (!responseStarted) {
            boolean replayable = body != null && requestComplete;
            if (cause == UpstreamHandler.ALPN_CHOSE_HTTP2 && replayable && !upgrade) {
                // Nothing was sent: the backend wants h2, so the request goes again over HTTP/2, not as an attempt.
                attempt--;
                retry();
                return;
            }
            boolean staleKeepAlive = upstreamHandler != null && upstreamHandler.reused();
            if (replayable && staleKeepAlive && staleRetries < MAX_STALE_RETRIES) {
                // A pooled connection the backend closed just as we reused it: it processed nothing, so the
                // request goes again, not counted as an attempt.
                staleRetries++;
                attempt--;
                retry();
                return;
            }
            ProxyError tlsFailure = UpstreamTlsFailures.classify(cause);
            if (replayable && canRetry() && tlsFailure == null) {
                retry();
                return;
            }
            fail(tlsFailure != null ? tlsFailure : ProxyError.UPSTREAM_RESET);
        } else {
            finishAborted();
        }
    }

    /** Whether a response with {@code status} is dropped for another attempt (the request can be sent again). */
    private boolean retriesOn(int status) {
        return settings.retriesOnStatus(status) && canRetry() && requestComplete && body != null;
    }

    private boolean canRetry() {
        return attempt < settings.retryAttempts();
    }

    private void retry() {
        cancel(attemptTimer);
        if (upstreamHandler != null) {
            upstreamHandler.detach();
        }
        upstream = null;
        upstreamHandler = null;
        responseStarted = false;
        discardingResponse = false;
        if (settings.retryBackoffNanos() > 0) {
            downCtx.executor().schedule(this::connectIfAlive, settings.retryBackoffNanos(), TimeUnit.NANOSECONDS);
        } else {
            connect();
        }
    }

    private void connectIfAlive() {
        if (!done) {
            connect();
        }
    }

    private void timeout(ProxyError error) {
        if (done) {
            return;
        }
        closeUpstream();
        if (responseStarted) {
            finishAborted();
        } else {
            fail(error);
        }
    }

    /** Ends the exchange with a local error reply (nothing was sent to the client yet). */
    private void fail(ProxyError error) {
        if (done) {
            return;
        }
        end();
        if (responseStarted) {
            downstream.abort();
        } else {
            downstream.replyError(error, error.closeConnection() || !requestComplete);
        }
    }

    private void finishAborted() {
        end();
        downstream.abort();
    }

    /** The client went away: drop the upstream side. */
    public void onClientClosed() {
        if (!done) {
            end();
        }
    }

    /** Ends the exchange without a response: timers, the upstream connection and the kept body go. */
    private void end() {
        done = true;
        heldHead = null;
        cancelTimers();
        closeUpstream();
        releaseBody();
    }

    private void closeUpstream() {
        if (upstream != null) {
            upstreamHandler.detach();
            upstream.close();
            upstream = null;
        }
    }

    private void releaseBody() {
        if (body != null) {
            for (HttpContent part : body) {
                ReferenceCountUtil.release(part);
            }
            body = null;
        }
    }

    private void cancelTimers() {
        cancel(requestTimer);
        cancel(attemptTimer);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    public boolean isDone() {
        return done;
    }

    /** The backend of the current (or last) attempt; null before the first. */
    public Backend backend() {
        return backend;
    }

    /** Request body bytes received from the client. */
    public long requestBytes() {
        return bodyBytes;
    }

    /** Response body bytes relayed to the client. */
    public long responseBytes() {
        return responseBytes;
    }
}
