package io.portcullis.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.forward.Downstream;
import io.portcullis.forward.ProxyExchange;
import io.portcullis.forward.WebSocketTunnel;
import io.portcullis.http.ForwardedHeaders;
import io.portcullis.http.Grpc;
import io.portcullis.http.HopByHop;
import io.portcullis.http.IdentityHeaders;
import io.portcullis.http.KeepAlive;
import io.portcullis.http.LocalReplies;
import io.portcullis.http.ProxyError;
import io.portcullis.http.RequestTarget;
import io.portcullis.http.WebSocketUpgrade;
import io.portcullis.observability.Metrics;
import io.portcullis.observability.RequestRecord;
import io.portcullis.observability.TraceContext;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import io.portcullis.routing.CompiledListener;
import io.portcullis.routing.CompiledRoute;
import io.portcullis.routing.RequestView;
import io.portcullis.routing.RouteEntry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: takes each request head, checks it, routes it, runs the route's policies and
 * either answers locally or hands it to a {@link ProxyExchange}. Requests are served one at a time:
 * whatever arrives that cannot be handled yet (a pipelined request while one is in flight, body parts while
 * the backend connection is not writable) is held in a small queue and reading stops until it drains, so
 * responses go out in order and buffering stays bounded. Reading is left on otherwise, which keeps the
 * common keep-alive exchange free of epoll interest changes. All state is confined to the event loop.
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter implements Downstream {
    private static final HttpResponse CONTINUE =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
    /** Bodies up to this size are read and dropped after a local reply so the connection can be kept. */
    private static final long MAX_DISCARD = 64 * 1024;
    /** How long a connection closed with unread input keeps draining it before the close. */
    private static final long LINGER_MILLIS = 2_000;

    /** Reason label of a response cut off after it started (backend closed, timeout). */
    private static final String RESPONSE_ABORTED = "response_aborted";
    /** Reason label (with nginx's status 499) of a request whose client went away before its response. */
    private static final String CLIENT_CLOSED = "client_closed";
    private static final int CLIENT_CLOSED_STATUS = 499;

    private enum State { AWAIT_HEAD, POLICY_WAIT, EXCHANGE, DISCARD_BODY, CLOSING, TUNNEL }

    private final BindContext bind;
    /** This connection's settings, read once when it was accepted (a reload changes them for new connections). */
    private final BindContext.Settings conn;
    private final ProxyResponseEncoder encoder;
    private final HeadTimeouts timeouts;
    private final boolean stream;
    /** The request in progress, for its one metrics update and access-log line. */
    private final RequestRecord record;
    private ChannelHandlerContext ctx;
    /** The response encoder's context (HTTP/1.x): relayed raw responses are written from there. */
    private ChannelHandlerContext encoderCtx;
    private State state = State.AWAIT_HEAD;
    private ProxyExchange exchange;
    private String peerIp;
    private boolean peerTrusted;
    private int requests;
    private boolean keepAlive;
    private boolean http10;
    private boolean expectContinue;
    private boolean requestLastSeen;
    private boolean partDelivered;
    private boolean drainRequested;
    private boolean bodyWanted;
    private boolean headRequest;
    private boolean peerIdentityTrusted;
    /** The current request is gRPC (only looked for on HTTP/2 streams): local replies become gRPC errors. */
    private boolean grpc;
    /** The current exchange's policy context when it registered response changes (CORS); else null. */
    private RequestContext responseContext;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>(4);
    /** The request whose policies run (or wait); null between requests. */
    private Admitted admitted;

    /** A request head that passed routing and the head checks, while its policies run. */
    private record Admitted(HttpRequest request, RequestTarget target, CompiledRoute route, RequestContext rc,
                            boolean hasBody, long declared) {}

    /**
     * {@code encoder} is null on an HTTP/2 stream ({@link Http2Frontend}): the stream's codec frames the
     * response, one request is served, and the stream ends with it.
     */
    public FrontendHandler(BindContext bind, BindContext.Settings conn, ProxyResponseEncoder encoder,
                           HeadTimeouts timeouts) {
        this.bind = bind;
        this.conn = conn;
        this.encoder = encoder;
        this.timeouts = timeouts;
        this.stream = encoder == null;
        this.record = new RequestRecord(bind.observability());
    }

    @Override
    public ChannelHandlerContext ctx() {
        return ctx;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.encoderCtx = encoder == null ? null : ctx.pipeline().context(encoder);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        if (remote instanceof InetSocketAddress && ((InetSocketAddress) remote).getAddress() != null) {
            peerIp = ((InetSocketAddress) remote).getAddress().getHostAddress();
        }
        peerTrusted = conn.limits().trustedProxies().contains(remote);
        peerIdentityTrusted = conn.limits().trustedIdentityProxies().contains(remote);
        timeouts.awaitRequest();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof FullHttpRequest full) {
            // An HTTP/2 stream whose HEADERS frame ended it. Split into the head and last part an HTTP/1.1
            // request decodes into, so that a head waiting for its policies holds its last part like any body
            // part; handled as one object, the part was consumed while the head waited and the stream hung.
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            head.setDecoderResult(full.decoderResult());
            take(head);
            take(new DefaultLastHttpContent(full.content(), full.trailingHeaders())); // owns the content now
            return;
        }
        take((HttpObject) msg);
    }

    private void take(HttpObject obj) {
        if (state == State.CLOSING) {
            ReferenceCountUtil.release(obj); // lingering after the last reply: nothing more is served
            return;
        }
        if (!pending.isEmpty() || !canTake(obj)) {
            pending.add(obj);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(obj);
    }

    /** Whether {@code msg} can be handled now, or must wait for the current exchange. */
    private boolean canTake(HttpObject msg) {
        switch (state) {
            case EXCHANGE:
                return msg instanceof HttpContent && !(msg instanceof HttpRequest) && !requestLastSeen && bodyWanted;
            case DISCARD_BODY:
                return msg instanceof HttpContent && !(msg instanceof HttpRequest);
            case POLICY_WAIT:
                return false;
            default:
                return true;
        }
    }

    private void dispatch(HttpObject msg) {
        if (msg instanceof HttpRequest) {
            onRequestHead((HttpRequest) msg);
        }
        if (msg instanceof HttpContent) {
            onRequestContent((HttpContent) msg);
        }
    }

    /** Handles held messages that can be handled now, then reads again unless something still waits. */
    private void drainPending() {
        HttpObject next;
        while ((next = pending.peek()) != null && canTake(next)) {
            pending.poll();
            dispatch(next);
        }
        if (pending.isEmpty() && state != State.CLOSING
                && !(state == State.EXCHANGE && !requestLastSeen && !bodyWanted)) {
            ChannelConfig config = ctx.channel().config();
            if (!config.isAutoRead()) { // a plain read of the flag; setting it is an atomic swap
                config.setAutoRead(true);
            }
        }
    }

    // ------------------------------------------------------------------ request head

    private void onRequestHead(HttpRequest request) {
        if (state != State.AWAIT_HEAD) {
            // Cannot happen with flow control in front; never serve a request out of order.
            ctx.close();
            return;
        }
        timeouts.headReceived();
        requestLastSeen = false;
        expectContinue = false;
        bodyWanted = false;
        record.begin(request.method().name(), null, request.headers().get(TraceContext.TRACEPARENT));
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            keepAlive = false;
            sendError(DecoderFailures.map(result.cause()), true);
            return;
        }
        requests++;
        http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        keepAlive = !stream && KeepAlive.of(request) && requests < conn.limits().maxRequestsPerConnection()
                && !bind.draining() && !drainRequested;
        headRequest = HttpMethod.HEAD.equals(request.method());
        if (stream) {
            HopByHop.stripHttp2Conversion(request.headers());
            grpc = Grpc.isGrpc(request.headers());
        } else {
            encoder.headRequest(headRequest);
        }

        ProxyError invalid = RequestHeadChecks.check(request, conn.limits(), http10);
        if (invalid != null) {
            sendError(invalid, true);
            return;
        }
        RequestTarget target = RequestTarget.parse(request.uri());
        if (target == null) {
            sendError(ProxyError.MALFORMED_REQUEST, true);
            return;
        }
        record.path(target.path());
        HttpHeaders headers = request.headers();
        // RequestHeadChecks admitted Transfer-Encoding only as exactly "chunked".
        boolean chunked = headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        long declared = chunked ? -1 : HttpUtil.getContentLength(request, 0L);
        boolean hasBody = chunked || declared > 0;
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect) || http10) {
                sendError(ProxyError.UNSUPPORTED_EXPECTATION, true);
                return;
            }
            expectContinue = hasBody;
            headers.remove(HttpHeaderNames.EXPECT);
        }
        String authority = target.authority() != null ? target.authority() : headers.get(HttpHeaderNames.HOST, "");
        if (target.authority() != null) {
            headers.set(HttpHeaderNames.HOST, authority);
        }
        RequestView view = new RequestView(request.method(), target.path(), target.query(), authority, headers);
        // The one read of the current config per request: later requests on this connection may see a newer one.
        CompiledListener listener = bind.listeners().select(view);
        RouteEntry entry = listener == null ? null : listener.routes().find(view);
        if (entry == null) {
            sendError(ProxyError.ROUTE_NOT_FOUND, hasBody && !discardable(declared));
            return;
        }
        CompiledRoute route = entry.route();
        record.routed(route.name(), null);
        if (declared > route.forward().maxRequestBodySize()) {
            sendError(ProxyError.BODY_TOO_LARGE, true);
            return;
        }
        boolean upgrade = !stream && WebSocketUpgrade.isRequest(request);
        HopByHop.strip(headers);
        if (upgrade) {
            // The decoder holds whatever follows the handshake, so only a switch (101) keeps the connection.
            WebSocketUpgrade.restoreHeaders(headers);
            keepAlive = false;
        }
        ForwardedHeaders.apply(headers, peerIp, peerTrusted, conn.scheme());
        if (!peerIdentityTrusted) {
            IdentityHeaders.strip(headers);
        }
        RequestContext rc = new RequestContext(request, view, entry, ctx.alloc(), conn.scheme(), peerIp, peerTrusted);
        record.routed(route.name(), rc);
        admitted = new Admitted(request, target, route, rc, hasBody, declared);
        runPolicies();
    }

    /** Runs (or resumes) the route's policies, then answers locally, waits, or starts the exchange. */
    private void runPolicies() {
        Admitted a = admitted;
        PolicyResult verdict = a.route().policies().apply(a.rc());
        if (verdict.isPending()) {
            // Body parts that arrive meanwhile are held (canTake is false in POLICY_WAIT) and reading stops.
            state = State.POLICY_WAIT;
            verdict.pending().whenComplete((ignored, error) -> ctx.executor().execute(this::resumePolicies));
            return;
        }
        admitted = null;
        // Response changes the policies registered (CORS) apply to whatever answers: backend or local reply.
        responseContext = a.rc().hasResponseActions() ? a.rc() : null;
        if (!verdict.isContinue()) {
            sendLocal(verdict.reply(), a.hasBody() && !discardable(a.declared()), verdict.reason());
            return;
        }
        HttpRequest request = a.request();
        RequestContext rc = a.rc();
        if (rc.path() != a.target().path() || a.target().changed() || rc.queryChanged()) {
            // Only rebuild the request-target when a rewrite, normalisation or the absolute form changed it.
            request.setUri(RequestTarget.pathAndQuery(rc.path(), rc.queryChanged() ? rc.query() : a.target().query()));
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        record.forwarded(TraceContext.ensure(request.headers()));
        state = State.EXCHANGE;
        exchange = new ProxyExchange(this, request, a.hasBody(), a.declared(), a.route(), conn.connector(),
                a.rc().authorityOverride(), grpc);
        exchange.start();
    }

    private void resumePolicies() {
        if (state == State.POLICY_WAIT && admitted != null) {
            state = State.AWAIT_HEAD;
            runPolicies();
        }
    }

    private static boolean discardable(long declared) {
        return declared >= 0 && declared <= MAX_DISCARD;
    }

    // ------------------------------------------------------------------ request body

    private void onRequestContent(HttpContent content) {
        partDelivered = true;
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestLastSeen = true;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            if (exchange != null) {
                ProxyExchange ex = exchange;
                exchange = null;
                ex.onClientClosed();
            }
            if (state == State.EXCHANGE || state == State.DISCARD_BODY) {
                closeNow();
            }
            return;
        }
        switch (state) {
            case EXCHANGE:
                exchange.onRequestContent(content);
                break;
            case DISCARD_BODY:
                content.release();
                if (last) {
                    nextRequest();
                }
                break;
            default:
                // The trailing empty part of a request answered by a decoder error: nothing to do.
                content.release();
                break;
        }
    }

    @Override
    public void requestBody() {
        if (expectContinue) {
            expectContinue = false;
            ctx.writeAndFlush(CONTINUE, ctx.voidPromise());
        }
        bodyWanted = true;
        drainPending();
    }

    @Override
    public void pauseRequestBody() {
        bodyWanted = false;
        ctx.channel().config().setAutoRead(false);
    }

    // ------------------------------------------------------------------ responses

    @Override
    public void prepareResponse(HttpResponse response, CompiledRoute route) {
        record.responseStatus(response.status().code());
        response.setProtocolVersion(HttpVersion.HTTP_1_1); // the gateway's version, whatever the backend's
        HttpHeaders headers = response.headers();
        applyResponsePolicies(headers, route);
        boolean chunked = headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        if (http10 && chunked) {
            // An HTTP/1.0 client cannot read chunked framing: send the body raw and end it by closing.
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            keepAlive = false;
        } else if (!chunked && !headers.contains(HttpHeaderNames.CONTENT_LENGTH) && mayHaveBody(response)) {
            // The backend ends this body by closing its connection. An HTTP/1.1 client gets it re-framed
            // as chunked so its connection stays usable; an HTTP/1.0 client gets it ended by a close too.
            if (http10) {
                keepAlive = false;
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        setConnectionHeader(headers);
    }

    /** A backend's response head: hop-by-hop headers out, the route's header rewrites and CORS actions in. */
    private void applyResponsePolicies(HttpHeaders headers, CompiledRoute route) {
        HopByHop.strip(headers);
        if (route.responseHeaders() != null) {
            route.responseHeaders().apply(headers);
        }
        if (responseContext != null) {
            responseContext.applyResponseActions(headers);
        }
    }

    @Override
    public boolean relaysUnchanged(CompiledRoute route) {
        return !stream && keepAlive && !http10 && !headRequest && !bind.draining()
                && route.responseHeaders() == null && responseContext == null;
    }

    @Override
    public void relay(int status, ByteBuf bytes) {
        record.responseStatus(status);
        // Already HTTP/1.1 bytes: written from the encoder's place in the pipeline, so that it does not see them.
        encoderCtx.write(bytes, encoderCtx.voidPromise());
    }

    @Override
    public void switchProtocols(HttpResponse response, CompiledRoute route, Channel upstream) {
        // The handshake is the request that metrics and the access log see; the tunnel after it is not one.
        record.responseStatus(response.status().code());
        recordUpstream();
        record.end(record.responseStatus(), Metrics.UPSTREAM, -1);
        exchange = null;
        state = State.TUNNEL;
        HttpHeaders headers = response.headers();
        applyResponsePolicies(headers, route);
        responseContext = null;
        WebSocketUpgrade.restoreHeaders(headers);
        ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), Unpooled.EMPTY_BUFFER, headers,
                EmptyHttpHeaders.INSTANCE), ctx.voidPromise());
        HttpObject held;
        while ((held = pending.poll()) != null) { // nothing is decoded past the handshake; just in case
            ReferenceCountUtil.release(held);
        }
        FrontendLimits limits = conn.limits();
        Channel client = ctx.channel();
        WebSocketTunnel.start(client, FrontendHandler.class, upstream, limits.websocketIdleNanos(),
                limits.websocketMaxMessage());
        if (drainRequested) { // the drain came while the handshake was on its way: the tunnel goes at once
            client.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        }
    }

    private boolean mayHaveBody(HttpResponse response) {
        int code = response.status().code();
        return !headRequest && code >= 200 && code != 204 && code != 304;
    }

    private void setConnectionHeader(HttpHeaders headers) {
        if (!keepAlive || bind.draining()) {
            keepAlive = false;
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    @Override
    public void exchangeComplete(boolean forceClose) {
        recordUpstream();
        record.end(record.responseStatus(), Metrics.UPSTREAM, -1);
        exchange = null;
        responseContext = null;
        if (forceClose || !keepAlive) {
            flushAndClose();
        } else {
            nextRequest();
        }
    }

    @Override
    public void replyError(ProxyError error, boolean closeConnection) {
        recordUpstream();
        exchange = null;
        sendError(error, closeConnection || !requestLastSeen);
    }

    @Override
    public void abort() {
        recordUpstream();
        record.end(record.responseStatus(), RESPONSE_ABORTED, -1);
        exchange = null;
        closeNow();
    }

    /** What the exchange with the backend moved, for the record; before the exchange is let go. */
    private void recordUpstream() {
        if (exchange != null && exchange.backend() != null) {
            record.upstream(exchange.backend().authority(), exchange.requestBytes(), exchange.responseBytes());
        }
    }

    private void sendError(ProxyError error, boolean close) {
        if (!record.active()) {
            record.begin(null, null, null); // no request head could be read (timeout, folded header)
        }
        sendLocal(LocalReplies.error(error), close || error.closeConnection(), error.reason());
    }

    /**
     * Sends a local reply (ending the request's record with {@code reason}); then drops the rest of the
     * request body, or closes when told to or when it is large.
     */
    private void sendLocal(FullHttpResponse reply, boolean close, String reason) {
        record.end(reply.status().code(), reason, reply.content().readableBytes());
        if (close || (expectContinue && !requestLastSeen)) {
            // Without a 100 Continue the client will not send the body it announced, so nothing on this
            // connection can be trusted to be the next request.
            keepAlive = false;
        }
        if (responseContext != null) {
            // A policy's reply, or a 502/503/504 in place of the backend's answer: the same changes (CORS).
            responseContext.applyResponseActions(reply.headers());
            responseContext = null;
        }
        if (grpc) {
            reply = Grpc.localReply(reply);
        }
        setConnectionHeader(reply.headers());
        ctx.write(reply, ctx.voidPromise());
        if (!keepAlive) {
            flushAndClose();
        } else if (requestLastSeen) {
            nextRequest();
        } else {
            ctx.flush();
            state = State.DISCARD_BODY;
            ctx.executor().schedule(this::discardTimedOut, conn.limits().requestHeadTimeoutNanos(), TimeUnit.NANOSECONDS);
            drainPending();
        }
    }

    /** A body that was announced after a local reply did not arrive in time: give up on the connection. */
    private void discardTimedOut() {
        if (state == State.DISCARD_BODY) {
            closeNow();
        }
    }

    private void nextRequest() {
        ctx.flush();
        if (drainRequested) {
            closeNow();
            return;
        }
        state = State.AWAIT_HEAD;
        timeouts.awaitRequest();
        drainPending();
    }

    private void resetHeadFlag() {
        if (encoder != null) {
            encoder.headRequest(false);
        }
    }

    private void flushAndClose() {
        state = State.CLOSING;
        if (stream) {
            // The response ended the stream (END_STREAM on its last frame); closing the child channel frees it.
            ctx.flush();
            ctx.close();
            return;
        }
        boolean unreadInput = !requestLastSeen || !pending.isEmpty();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(unreadInput
                ? (ChannelFutureListener) f -> lingerThenClose() : ChannelFutureListener.CLOSE);
    }

    /**
     * Lingering close, as nginx does: when the client may still be sending (the rest of a refused request),
     * closing at once makes the kernel answer its data with a reset, which can destroy the error reply before
     * the client reads it. So: send FIN, drop whatever still arrives, close when the client does or after
     * {@link #LINGER_MILLIS}.
     */
    private void lingerThenClose() {
        Channel ch = ctx.channel();
        if (!(ch instanceof DuplexChannel) || !ch.isActive()) {
            ctx.close();
            return;
        }
        ((DuplexChannel) ch).shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        ch.config().setAutoRead(true);
        ctx.executor().schedule((Runnable) ctx::close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void closeNow() {
        state = State.CLOSING;
        ctx.close();
    }

    // ------------------------------------------------------------------ connection events

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == HeadTimeouts.Event.HEAD_TIMEOUT && state == State.AWAIT_HEAD) {
            keepAlive = false;
            requestLastSeen = true;
            resetHeadFlag();
            sendError(ProxyError.REQUEST_HEAD_TIMEOUT, true);
        } else if (evt == HeadTimeouts.Event.OBS_FOLD && state == State.AWAIT_HEAD) {
            keepAlive = false;
            requestLastSeen = true;
            resetHeadFlag();
            sendError(ProxyError.MALFORMED_REQUEST, true);
        } else if (evt == HeadTimeouts.Event.IDLE_TIMEOUT && state == State.AWAIT_HEAD) {
            closeNow();
        } else if (evt == DrainEvent.INSTANCE) {
            drainRequested = true;
            if (state == State.AWAIT_HEAD) {
                closeNow();
            }
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (record.active()) {
            recordUpstream();
            record.end(CLIENT_CLOSED_STATUS, CLIENT_CLOSED, -1);
        }
        state = State.CLOSING;
        admitted = null;
        HttpObject held;
        while ((held = pending.poll()) != null) {
            ReferenceCountUtil.release(held);
        }
        if (exchange != null) {
            ProxyExchange ex = exchange;
            exchange = null;
            ex.onClientClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (reset by peer, broken pipe) end the connection; channelInactive cleans up.
        ctx.close();
    }
}
