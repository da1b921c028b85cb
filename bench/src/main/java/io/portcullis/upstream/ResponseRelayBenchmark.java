package io.portcullis.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.portcullis.http.HopByHop;
import io.portcullis.server.FrontendLimits;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The response half of a proxied request, from the backend's bytes to the client's: nginx's answer to
 * {@code bench/load.sh}'s {@code /json} (five headers, one hop-by-hop, a 96-byte body).
 * <ul>
 *   <li>{@code decodeEncode}: what every response cost before the raw relay and what a response that needs
 *   header changes still costs: Netty's decoder, hop-by-hop removal, Netty's encoder of a full response;</li>
 *   <li>{@code rawRelay}: {@link RawResponseParser} reads the whole response and hands the same buffer on,
 *   minus the Connection line.</li>
 * </ul>
 * Both run the upstream decoder in an {@link EmbeddedChannel} (same pipeline cost); the first also runs an
 * encoder channel, which is part of the work it stands for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseRelayBenchmark {
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Server: nginx\r\n"
            + "Date: Sun, 22 Nov 2026 08:03:07 GMT\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 96\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n"
            + "{\"id\":12345,\"name\":\"bench-backend\",\"ok\":true,\"items\":[1,2,3,4,5],\"msg\":\"hello from the origin\"}\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    private EmbeddedChannel upstream;
    private EmbeddedChannel nettyUpstream;
    private EmbeddedChannel client;

    @Setup(Level.Trial)
    public void setup() {
        upstream = new EmbeddedChannel(new UpstreamResponseDecoder(config()));
        nettyUpstream = new EmbeddedChannel(new HttpResponseDecoder(config()));
        client = new EmbeddedChannel(new HttpResponseEncoder());
    }

    /** The gateway's upstream decoder settings, with the default buffer limit. */
    private static HttpDecoderConfig config() {
        return UpstreamConnector.decoderConfig(FrontendLimits.DEFAULT_BUFFER_LIMIT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        upstream.finishAndReleaseAll();
        nettyUpstream.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    private static ByteBuf input(EmbeddedChannel channel) {
        return channel.alloc().directBuffer(RESPONSE.length).writeBytes(RESPONSE);
    }

    @Benchmark
    public int rawRelay() {
        upstream.writeInbound(input(upstream));
        RawResponse response = upstream.readInbound();
        ByteBuf out = response.relayBytes();
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Benchmark
    public int decodeEncode() {
        nettyUpstream.writeInbound(input(nettyUpstream));
        HttpResponse head = nettyUpstream.readInbound();
        LastHttpContent body = nettyUpstream.readInbound();
        HopByHop.strip(head.headers());
        client.writeOutbound(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), body.content(),
                head.headers(), body.trailingHeaders()));
        ByteBuf out = client.readOutbound();
        int n = out.readableBytes();
        out.release();
        return n;
    }
}
