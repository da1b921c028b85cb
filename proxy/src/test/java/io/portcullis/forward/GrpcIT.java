package io.portcullis.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.FreePort;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestCa;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC through the gateway with grpc-java on both ends (methods described by hand, bytes marshalled as they are):
 * h2c and h2 (TLS) clients, h2c and h2 (TLS) backends, unary and server-streaming calls with their trailers, a
 * backend's error status passed through, and the gateway's own refusals as gRPC errors.
 */
class GrpcIT {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> UNARY = method("test.Echo/Unary", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<byte[], byte[]> STREAM =
            method("test.Echo/Stream", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<byte[], byte[]> DENIED = method("test.Echo/Denied", MethodDescriptor.MethodType.UNARY);
    private static final Metadata.Key<String> TRAILER = Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    static Path dir;
    static TestCa ca;
    static Server h2cBackend;
    static Server tlsBackend;
    static RunningGateway gw;
    static ManagedChannel clear;
    static ManagedChannel overTls;
    static ManagedChannel toTlsBackend;

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setFullMethodName(name).setType(type)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    /** The test service; every call's trailers carry {@code x-served-by: <name>}. */
    private static ServerServiceDefinition service(String name) {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(("echo " + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    response.onCompleted();
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    for (int i = 1; i <= 3; i++) {
                        response.onNext(("part " + i).getBytes(StandardCharsets.UTF_8));
                    }
                    response.onCompleted();
                }))
                .addMethod(DENIED, ServerCalls.asyncUnaryCall((request, response) ->
                        response.onError(Status.PERMISSION_DENIED.withDescription("not for you").asRuntimeException())))
                .build();
        return ServerInterceptors.intercept(echo, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        trailers.put(TRAILER, name);
                        super.close(status, trailers);
                    }
                }, headers);
            }
        });
    }

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.create(dir);
        h2cBackend = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service("h2c")).build().start();
        tlsBackend = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.forServer(ca.cert().toFile(), ca.key().toFile()).build())
                .addService(service("tls")).build().start();
        String toH2c = "      backends: [{host: 127.0.0.1:" + h2cBackend.getPort() + "}]\n";
        String routes = "    routes:\n"
                + "    - matches: [{path: {pathPrefix: /limited.Svc/}}]\n"
                + "      policies: {localRateLimit: [{maxTokens: 1, tokensPerFill: 1, fillInterval: 1h}]}\n" + toH2c
                + "    - matches: [{path: {pathPrefix: /down.Svc/}}]\n"
                + "      backends: [{host: 127.0.0.1:" + FreePort.find() + "}]\n"
                + "    - matches: [{path: {pathPrefix: /test.Echo/}}]\n" + toH2c;
        String tls = "    tls: {cert: " + ca.cert() + ", key: " + ca.key() + "}\n";
        gw = RunningGateway.start("binds:\n"
                + "- port: 0\n  listeners:\n  - protocol: HTTP\n" + routes
                + "- port: 0\n  listeners:\n  - protocol: HTTPS\n" + tls + routes
                + "- port: 0\n  listeners:\n  - protocol: HTTP\n    routes:\n    - policies: {backendTLS: {root: " + ca.ca() + "}}\n"
                + "      backends: [{host: 127.0.0.1:" + tlsBackend.getPort() + "}]\n");
        clear = NettyChannelBuilder.forAddress("127.0.0.1", gw.ports().get(0)).usePlaintext().build();
        overTls = NettyChannelBuilder.forAddress("localhost", gw.ports().get(1))
                .sslContext(GrpcSslContexts.forClient().trustManager(ca.ca().toFile()).build()).build();
        toTlsBackend = NettyChannelBuilder.forAddress("127.0.0.1", gw.ports().get(2)).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ManagedChannel ch : new ManagedChannel[] {clear, overTls, toTlsBackend}) {
            if (ch != null) {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        for (Server s : new Server[] {h2cBackend, tlsBackend}) {
            if (s != null) {
                s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        Closeables.closeAll(gw);
    }

    private static CallOptions deadline() {
        return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** A unary call on {@code channel}; returns the reply and puts the call's trailers in {@code trailers}. */
    private static String unary(Channel channel, MethodDescriptor<byte[], byte[]> method, String request,
                                AtomicReference<Metadata> trailers) {
        Channel capturing = ClientInterceptors.intercept(channel,
                MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers));
        byte[] reply = ClientCalls.blockingUnaryCall(capturing, method, deadline(), request.getBytes(StandardCharsets.UTF_8));
        return new String(reply, StandardCharsets.UTF_8);
    }

    @Test
    void unaryCallPassesThroughWithItsTrailers() {
        for (ManagedChannel client : List.of(clear, overTls)) {
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            assertThat(unary(client, UNARY, "hello", trailers)).isEqualTo("echo hello");
            assertThat(trailers.get().get(TRAILER)).isEqualTo("h2c");
        }
    }

    @Test
    void unaryCallReachesATlsBackendByAlpn() {
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        assertThat(unary(toTlsBackend, UNARY, "over h2", trailers)).isEqualTo("echo over h2");
        assertThat(trailers.get().get(TRAILER)).isEqualTo("tls");
    }

    @Test
    void serverStreamingCallDeliversEveryMessage() {
        Iterator<byte[]> replies = ClientCalls.blockingServerStreamingCall(clear, STREAM, deadline(), new byte[0]);
        List<String> parts = new ArrayList<>();
        replies.forEachRemaining(b -> parts.add(new String(b, StandardCharsets.UTF_8)));
        assertThat(parts).containsExactly("part 1", "part 2", "part 3");
    }

    @Test
    void backendErrorStatusAndMessageComeThrough() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> unary(clear, DENIED, "x", new AtomicReference<>()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getStatus().getDescription()).isEqualTo("not for you");
        assertThat(e.getTrailers().get(TRAILER)).isEqualTo("h2c");
    }

    @Test
    void unroutedMethodIsAGrpcUnimplementedError() {
        for (ManagedChannel client : List.of(clear, overTls)) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> unary(client, method("other.Svc/Call", MethodDescriptor.MethodType.UNARY), "x", new AtomicReference<>()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
            assertThat(e.getStatus().getDescription()).isEqualTo("no route matched");
        }
    }

    @Test
    void gatewayRefusalsAreGrpcErrors() {
        MethodDescriptor<byte[], byte[]> limited = method("limited.Svc/Call", MethodDescriptor.MethodType.UNARY);
        // The first call reaches the backend, which does not know the method; the second is the gateway's 429.
        StatusRuntimeException first = catchThrowableOfType(StatusRuntimeException.class,
                () -> unary(clear, limited, "x", new AtomicReference<>()));
        assertThat(first.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        StatusRuntimeException second = catchThrowableOfType(StatusRuntimeException.class,
                () -> unary(clear, limited, "x", new AtomicReference<>()));
        assertThat(second.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(second.getStatus().getDescription()).isEqualTo("rate limit exceeded");
        assertThat(second.getTrailers().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER))).isNotNull();

        StatusRuntimeException down = catchThrowableOfType(StatusRuntimeException.class,
                () -> unary(clear, method("down.Svc/Call", MethodDescriptor.MethodType.UNARY), "x", new AtomicReference<>()));
        assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(down.getStatus().getDescription()).isEqualTo("upstream connect failed");
    }
}
