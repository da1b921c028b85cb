package io.portcullis.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP/1.1 (or HTTP/2) backend on 127.0.0.1:0 for integration tests, streaming in both directions:
 * <ul>
 *   <li>{@code /json} - a ~100-byte JSON body</li>
 *   <li>{@code /status/N} - status N with a short body</li>
 *   <li>{@code /headers} - the request line and headers as text</li>
 *   <li>{@code /upload} - reads the body without buffering it, answers with the byte count</li>
 *   <li>{@code /echo} - the body back, chunked</li>
 *   <li>{@code /download?size=N} - N bytes, chunked, written only as fast as the connection drains</li>
 *   <li>{@code /sse?gap=MS} - two server-sent events, {@code gap} ms apart</li>
 *   <li>{@code /slow?ms=MS} - answers after a delay</li>
 *   <li>{@code /close} - closes the connection (HTTP/2: resets the stream) without answering</li>
 *   <li>{@code /trailers} - a chunked body followed by the trailer {@code x-checksum: 42}</li>
 *   <li>{@code /goaway} - HTTP/2: answers, then sends GOAWAY and closes the connection after its streams</li>
 * </ul>
 * {@link #http2} serves the same endpoints over HTTP/2.
 */
public final class TestBackend implements AutoCloseable {
    public static final String JSON =
            "{\"id\":12345,\"name\":\"bench-backend\",\"ok\":true,\"items\":[1,2,3,4,5],\"msg\":\"hello from the origin\"}\n";

    private final LoopbackServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<HttpRequest> lastRequest = new AtomicReference<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger maxOpenStreams = new AtomicInteger();

    public TestBackend() throws InterruptedException {
        this(null, false, 0);
    }

    /**
     * The same endpoints over HTTP/2: h2c with prior knowledge, or h2 by ALPN when {@code tls} is given (its ALPN
     * must offer h2); {@code maxConcurrentStreams} is announced in SETTINGS (0: Netty's default).
     */
    public static TestBackend http2(SslContext tls, int maxConcurrentStreams) throws InterruptedException {
        return new TestBackend(tls, true, maxConcurrentStreams);
    }

    /** The HTTP/1.1 endpoints over TLS. */
    public static TestBackend tls(SslContext tls) throws InterruptedException {
        return new TestBackend(tls, false, 0);
    }

    private TestBackend(SslContext tls, boolean http2, int maxConcurrentStreams) throws InterruptedException {
        server = new LoopbackServer(ch -> {
            if (tls != null) {
                ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            if (!http2) {
                ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                return;
            }
            Http2Settings settings = Http2Settings.defaultSettings();
            if (maxConcurrentStreams > 0) {
                settings.maxConcurrentStreams(maxConcurrentStreams);
            }
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build(),
                    new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel stream) {
                            int open = openStreams.incrementAndGet();
                            maxOpenStreams.accumulateAndGet(open, Math::max);
                            stream.closeFuture().addListener(f -> openStreams.decrementAndGet());
                            stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new Handler());
                        }
                    }));
        });
    }

    /** The most HTTP/2 streams that were open at once (HTTP/2 mode). */
    public int maxOpenStreams() {
        return maxOpenStreams.get();
    }

    public int port() {
        return server.port();
    }

    public String hostPort() {
        return server.hostPort();
    }

    /** TCP connections accepted so far (shows whether the gateway reuses its pooled connections). */
    public int connections() {
        return server.connections();
    }

    public int requests() {
        return requests.get();
    }

    /** The most recent request head (headers as the backend saw them). */
    public HttpRequest lastRequest() {
        return lastRequest.get();
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest request;
        private String path;
        private long received;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest) {
                request = (HttpRequest) msg;
                lastRequest.set(request);
                requests.incrementAndGet();
                path = new QueryStringDecoder(request.uri()).path();
                received = 0;
                if (path.equals("/close")) {
                    ctx.close();
                    return;
                }
                if (path.equals("/echo")) {
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(head, true);
                    ctx.writeAndFlush(head);
                }
            }
            if (msg instanceof HttpContent) {
                HttpContent content = (HttpContent) msg;
                received += content.content().readableBytes();
                if ("/echo".equals(path) && content.content().isReadable()) {
                    ctx.writeAndFlush(new DefaultHttpContent(content.content().retain()));
                }
                if (msg instanceof LastHttpContent) {
                    respond(ctx);
                }
            }
        }

        private void respond(ChannelHandlerContext ctx) {
            QueryStringDecoder q = new QueryStringDecoder(request.uri());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            switch (path.startsWith("/status/") ? "/status" : path) {
                case "/echo":
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    return;
                case "/trailers":
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(head, true);
                    ctx.write(head);
                    ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("with trailers\n", StandardCharsets.UTF_8)));
                    LastHttpContent last = new DefaultLastHttpContent();
                    last.trailingHeaders().set("x-checksum", "42");
                    ctx.writeAndFlush(last);
                    return;
                case "/goaway":
                    send(ctx, HttpResponseStatus.OK, "going away\n", "text/plain", keepAlive);
                    // Closing the parent gracefully sends GOAWAY, lets open streams end, then closes.
                    ctx.channel().parent().close();
                    return;
                case "/upload":
                    send(ctx, HttpResponseStatus.OK, "received=" + received + "\n", "text/plain", keepAlive);
                    return;
                case "/headers":
                    StringBuilder sb = new StringBuilder(request.method() + " " + request.uri() + "\n");
                    request.headers().forEach(e -> sb.append(e.getKey().toLowerCase()).append(": ").append(e.getValue()).append('\n'));
                    send(ctx, HttpResponseStatus.OK, sb.toString(), "text/plain", keepAlive);
                    return;
                case "/status":
                    int code = Integer.parseInt(path.substring("/status/".length()));
                    send(ctx, HttpResponseStatus.valueOf(code), "status " + code + "\n", "text/plain", keepAlive);
                    return;
                case "/download":
                    download(ctx, Long.parseLong(param(q, "size", "1024")));
                    return;
                case "/sse":
                    sse(ctx, Long.parseLong(param(q, "gap", "2000")));
                    return;
                case "/slow":
                    long ms = Long.parseLong(param(q, "ms", "1000"));
                    ctx.executor().schedule(() -> send(ctx, HttpResponseStatus.OK, "slow\n", "text/plain", keepAlive),
                            ms, TimeUnit.MILLISECONDS);
                    return;
                default:
                    send(ctx, HttpResponseStatus.OK, JSON, "application/json", keepAlive);
            }
        }

        private void sse(ChannelHandlerContext ctx, long gapMillis) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("data: first\n\n", StandardCharsets.UTF_8)));
            ctx.executor().schedule(() -> {
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("data: second\n\n", StandardCharsets.UTF_8)));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }, gapMillis, TimeUnit.MILLISECONDS);
        }

        private void download(ChannelHandlerContext ctx, long size) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
            new Object() {
                long left = size;

                void pump() {
                    while (left > 0 && ctx.channel().isWritable()) {
                        int n = (int) Math.min(16 * 1024, left);
                        left -= n;
                        ByteBuf chunk = ctx.alloc().buffer(n);
                        chunk.writerIndex(n);
                        ctx.write(new DefaultHttpContent(chunk));
                    }
                    if (left == 0) {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    } else {
                        ctx.flush();
                        ctx.executor().schedule(this::pump, 1, TimeUnit.MILLISECONDS);
                    }
                }
            }.pump();
        }

        private void send(ChannelHandlerContext ctx, HttpResponseStatus status, String body, String type, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(response);
            }
        }

        private String param(QueryStringDecoder q, String name, String def) {
            return q.parameters().containsKey(name) ? q.parameters().get(name).get(0) : def;
        }
    }
}
