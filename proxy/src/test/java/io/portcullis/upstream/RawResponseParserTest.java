package io.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpstreamResponseDecoder}'s fast path: which responses come out whole as a {@link RawResponse}, what
 * their relayed bytes are, and that every other response is read by Netty's decoder exactly as Netty alone reads
 * it (same head, same body, same failures).
 */
class RawResponseParserTest {
    private static final String CRLF = "\r\n";
    private final List<Object> outputs = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        for (Object o : outputs) {
            ReferenceCountUtil.release(o);
        }
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    // ------------------------------------------------------------------ the fast path

    @Test
    void wholeResponseIsRawAndRelayedWithoutConnectionAndKeepAliveLines() {
        String in = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\nX-A:  a b \r\n"
                + "Keep-Alive: timeout=5, max=100\r\nContent-Length: 5\r\n\r\nhello";
        List<Object> out = decode(decoder(), in);
        assertThat(out).hasSize(1);
        RawResponse raw = (RawResponse) out.get(0);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.keepAlive()).isTrue();
        assertThat(raw.bodyLength()).isEqualTo(5);
        assertThat(relayed(raw)).isEqualTo(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A:  a b \r\nContent-Length: 5\r\n\r\nhello");
    }

    @Test
    void withoutHopByHopLinesTheRelayedBytesAreTheBackendsBytes() {
        String in = "HTTP/1.1 201 Created\r\nLocation: /x/1\r\ncontent-length: 3\r\nX-Trace:\tt1\t\r\n\r\nabc";
        RawResponse raw = onlyRaw(decode(decoder(), in));
        assertThat(raw.status()).isEqualTo(201);
        assertThat(raw.keepAlive()).isTrue();
        assertThat(relayed(raw)).isEqualTo(in);
    }

    @Test
    void everyHopByHopNameIsDroppedAndEveryOtherLineKeptInOrder() {
        String in = "HTTP/1.1 200 OK\r\nA: 1\r\nConnection: keep-alive\r\nB: 2\r\nKeep-Alive: 5\r\n"
                + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: x\r\nC: 3\r\nUpgrade: h2c\r\n"
                + "Proxy-Authenticate: Basic\r\nProxy-Authorization: Basic eA==\r\nContent-Length: 2\r\nD: 4\r\n\r\nok";
        RawResponse raw = onlyRaw(decode(decoder(), in));
        assertThat(relayed(raw)).isEqualTo("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nContent-Length: 2\r\nD: 4\r\n\r\nok");
    }

    @Test
    void twoWholeResponsesInOneReadAreRelayedIndependently() {
        String first = "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nfirst";
        String second = "HTTP/1.1 202 Accepted\r\nKeep-Alive: timeout=1\r\nContent-Length: 6\r\n\r\nsecond";
        List<Object> out = decode(decoder(), first + second);
        assertThat(out).hasSize(2);
        RawResponse a = (RawResponse) out.get(0);
        RawResponse b = (RawResponse) out.get(1);
        // Moving the first's kept lines must not touch the second's bytes, whichever is relayed first.
        assertThat(relayed(b)).isEqualTo("HTTP/1.1 202 Accepted\r\nContent-Length: 6\r\n\r\nsecond");
        assertThat(relayed(a)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
    }

    @Test
    void http10IsKeptAliveOnlyWhenItSaysSo() {
        RawResponse plain = onlyRaw(decode(decoder(), "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"));
        assertThat(plain.keepAlive()).isFalse();
        RawResponse kept = onlyRaw(decode(decoder(),
                "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx"));
        assertThat(kept.keepAlive()).isTrue();
        // relayed as the gateway's HTTP/1.1, the Connection line (hop-by-hop) gone
        assertThat(relayed(kept)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
    }

    @Test
    void connectionHeaderNameAndValueAreCaseInsensitive() {
        RawResponse raw = onlyRaw(decode(decoder(),
                "HTTP/1.0 200 OK\r\nCONNECTION: Keep-Alive\r\ncOnTeNt-LeNgTh: 2\r\n\r\nhi"));
        assertThat(raw.keepAlive()).isTrue();
        assertThat(raw.bodyLength()).isEqualTo(2);
        assertThat(relayed(raw)).isEqualTo("HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh: 2\r\n\r\nhi");
        assertThat(raw.bodyLength()).isEqualTo(2); // still, after relayBytes
        RawResponse closing = onlyRaw(decode(decoder(),
                "HTTP/1.1 200 OK\r\nconnection: CLOSE\r\nContent-Length: 0\r\n\r\n"));
        assertThat(closing.keepAlive()).isFalse();
    }

    @Test
    void connectionCloseIsRawButNotKeptAlive() {
        RawResponse raw = onlyRaw(decode(decoder(), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(raw.keepAlive()).isFalse();
        assertThat(relayed(raw)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        RawResponse both = onlyRaw(decode(decoder(),
                "HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(both.keepAlive()).isFalse();
    }

    @Test
    void emptyAndMissingReasonPhrasesAreRawAndDecodeLikeNetty() {
        for (String in : List.of("HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 404  Not  Found \r\nContent-Length: 2\r\n\r\nno")) {
            RawResponse raw = onlyRaw(decode(decoder(), in));
            assertThat(decodedRaw(raw)).as(label(in)).isEqualTo(describe(asRelayed(decode(nettyAlone(), in))));
        }
        RawResponse raw = onlyRaw(decode(decoder(), "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(relayed(raw)).isEqualTo("HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void decodeHeadAndBodyGiveWhatNettyDecodesFromTheSameBytes() {
        for (String in : List.of(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
                "HTTP/1.1 500 Internal Server Error\r\nX-Empty:\r\nX-Blank: \t \r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                        + "Content-Length: 0\r\n\r\n",
                "HTTP/1.0 201 Created\r\nX-Obs: caf\u00e9\u00ff\r\nX-Tabs:\tin\tside\t\r\nContent-Length: 3\r\n\r\n\u0000\u00ff\n",
                "HTTP/1.1 299 Whatever \u00e9\r\nX-Tok!#$%&'*+.^_`|~: v\r\nCONTENT-LENGTH: 0004\r\nUpgrade: x\r\n\r\nbody",
                "HTTP/1.1 418 I'm a teapot\r\nContent-Length:   5   \r\nTe: trailers\r\nKeep-Alive: 1\r\n\r\n12345")) {
            RawResponse raw = onlyRaw(decode(decoder(), in));
            assertThat(decodedRaw(raw)).as(label(in)).isEqualTo(describe(asRelayed(decode(nettyAlone(), in))));
        }
    }

    @Test
    void decodeBodyOwnsExactlyTheBody() {
        RawResponse raw = onlyRaw(decode(decoder(), "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"));
        HttpResponse head = raw.decodeHead();
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().get("content-length")).isEqualTo("11");
        LastHttpContent body = raw.decodeBody();
        outputs.removeIf(o -> o == raw);
        outputs.add(body);
        assertThat(body.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello world");
        assertThat(body.trailingHeaders().isEmpty()).isTrue();
        assertThat(body.decoderResult().isSuccess()).isTrue();
    }

    @Test
    void headsUpToSixtyFourLinesAreRawAndTheLastLineCanBeDropped() {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nKeep-Alive: 5\r\n");
        StringBuilder expected = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 1; i < 62; i++) {
            sb.append("X-H").append(i).append(": v").append(i).append(CRLF);
            expected.append("X-H").append(i).append(": v").append(i).append(CRLF);
        }
        sb.append("Content-Length: 2\r\n");
        expected.append("Content-Length: 2\r\n");
        sb.append("Connection: keep-alive\r\n\r\nok"); // line 64, bit 63 of the drop mask
        expected.append("\r\nok");
        String in = sb.toString();
        assertThat(in.split(CRLF, -1).length).isEqualTo(1 + 64 + 2);
        RawResponse raw = onlyRaw(decode(decoder(), in));
        assertThat(decodedRaw(raw)).isEqualTo(describe(asRelayed(decode(nettyAlone(), in))));
        raw = onlyRaw(decode(decoder(), in));
        assertThat(relayed(raw)).isEqualTo(expected.toString());
    }

    @Test
    void sixtyFiveLinesGoToNetty() {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 64; i++) {
            sb.append("X-H").append(i).append(": v").append(i).append(CRLF);
        }
        sb.append("Content-Length: 2\r\n\r\nok");
        assertNettyPathLikeNettyAlone(sb.toString());
    }

    @Test
    void headLongerThanTheFirstLookIsStillRaw() {
        String in = "HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(3000) + "\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok";
        RawResponse raw = onlyRaw(decode(decoder(), in));
        assertThat(relayed(raw)).isEqualTo("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(3000) + "\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void headLongerThanSixteenKilobytesGoesToNetty() {
        assertNettyPathLikeNettyAlone("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(17_000) + "\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void headEndingExactlyAtTheFirstLookBoundaryIsRaw() {
        // The first look is 1024 bytes: the head ends at, just before and just after that boundary.
        for (int headLength = 1020; headLength <= 1028; headLength++) {
            String prefix = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-Pad: ";
            String pad = "p".repeat(headLength - prefix.length() - 4);
            String in = prefix + pad + "\r\n\r\nabc";
            RawResponse raw = onlyRaw(decode(decoder(), in));
            assertThat(relayed(raw)).as("head of %d bytes", headLength).isEqualTo(in);
        }
    }

    // ------------------------------------------------------------------ Netty's path

    @Test
    void connectionNamingAnotherHeaderGoesToNetty() {
        assertNettyPathLikeNettyAlone("HTTP/1.1 200 OK\r\nConnection: keep-alive, x-foo\r\nX-Foo: 1\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void twoContentLengthsGoToNettyWhichRefusesThem() {
        String in = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok";
        List<Object> out = assertNettyPathLikeNettyAlone(in);
        assertThat(((HttpResponse) out.get(0)).decoderResult().isFailure()).isTrue();
    }

    @Test
    void chunkedGoesToNetty() {
        List<Object> out = assertNettyPathLikeNettyAlone(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n");
        assertThat(body(out)).isEqualTo("hello");
        assertNettyPathLikeNettyAlone(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    }

    @Test
    void closeDelimitedBodyGoesToNettyAndEndsAtClose() {
        String in = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close";
        UpstreamResponseDecoder d = decoder();
        EmbeddedChannel ch = channel(d);
        List<Object> out = write(ch, in);
        assertThat(out).isNotEmpty().noneMatch(o -> o instanceof RawResponse).noneMatch(o -> o instanceof LastHttpContent);
        ch.finish();
        out.addAll(drain(ch));
        EmbeddedChannel netty = channel(nettyAlone());
        List<Object> expected = write(netty, in);
        netty.finish();
        expected.addAll(drain(netty));
        assertThat(describe(out)).isEqualTo(describe(expected));
        assertThat(body(out)).isEqualTo("until close");
    }

    @Test
    void noContentAndNotModifiedGoToNettyAndTheNextResponseIsRawAgain() {
        for (String status : List.of("204 No Content", "304 Not Modified")) {
            String empty = "HTTP/1.1 " + status + "\r\nETag: \"1\"\r\nContent-Length: 0\r\n\r\n";
            String next = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            List<Object> out = decode(decoder(), empty + next);
            assertThat(out).hasSize(3);
            assertThat(out.get(0)).isInstanceOf(HttpResponse.class).isNotInstanceOf(RawResponse.class);
            assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);
            assertThat(relayed((RawResponse) out.get(2))).isEqualTo(next);
            assertNettyPathLikeNettyAlone(empty);
        }
    }

    @Test
    void interimResponseGoesToNettyAndTheFinalOneInTheSameReadIsRaw() {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        String fin = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone";
        List<Object> out = decode(decoder(), interim + fin);
        assertThat(out).hasSize(3);
        assertThat(((HttpResponse) out.get(0)).status().code()).isEqualTo(100);
        assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);
        assertThat(relayed((RawResponse) out.get(2))).isEqualTo(fin);
        String early = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n";
        out = decode(decoder(), early + fin);
        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isInstanceOf(RawResponse.class);
    }

    @Test
    void headSplitAcrossReadsIsNettysAndTheNextWholeResponseIsRaw() {
        EmbeddedChannel ch = channel(decoder());
        List<Object> first = write(ch, "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Le");
        assertThat(first).isEmpty();
        String next = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext";
        List<Object> second = write(ch, "ngth: 5\r\n\r\nhello" + next);
        assertThat(second).hasSize(3);
        HttpResponse head = (HttpResponse) second.get(0);
        assertThat(head).isNotInstanceOf(RawResponse.class);
        assertThat(head.headers().get("connection")).isEqualTo("keep-alive");
        assertThat(((LastHttpContent) second.get(1)).content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(relayed((RawResponse) second.get(2))).isEqualTo(next);
    }

    @Test
    void statusLineSplitAfterAFewBytesIsNettys() {
        EmbeddedChannel ch = channel(decoder());
        assertThat(write(ch, "HTTP/1.1 2")).isEmpty();
        List<Object> rest = write(ch, "00 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(rest).hasSize(2).noneMatch(o -> o instanceof RawResponse);
        assertThat(body(rest)).isEqualTo("ok");
    }

    @Test
    void incompleteBodyIsNettysUntilItsEnd() {
        EmbeddedChannel ch = channel(decoder());
        List<Object> first = write(ch, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
        assertThat(first).hasSize(2);
        assertThat(first.get(0)).isInstanceOf(HttpResponse.class).isNotInstanceOf(RawResponse.class);
        assertThat(first.get(1)).isInstanceOf(HttpContent.class).isNotInstanceOf(LastHttpContent.class);
        List<Object> second = write(ch, "world");
        assertThat(second).hasSize(1).first().isInstanceOf(LastHttpContent.class);
        assertThat(body(first) + body(second)).isEqualTo("helloworld");
        String next = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext";
        assertThat(relayed(onlyRaw(write(ch, next)))).isEqualTo(next);
    }

    @Test
    void malformedHeadsGoToNettyAndComeOutAsNettyReadsThem() {
        for (String in : List.of(
                "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", // bare LF line ends
                "HTTP/1.1 200 OK\r\nContent-Length: 2\nX-A: 1\r\n\r\nok", // one bare LF
                "HTTP/1.1 200 OK\r\nX-Fold: a\r\n b\r\nContent-Length: 2\r\n\r\nok", // obs-fold
                "HTTP/1.1 200 OK\r\nX-Space : 1\r\nContent-Length: 2\r\n\r\nok", // space before the colon
                "HTTP/1.1 200 OK\r\nX-Ctl: a\u0001b\r\nContent-Length: 2\r\n\r\nok", // control char in a value
                "HTTP/1.1 200 OK\r\nX-Del: a\u007fb\r\nContent-Length: 2\r\n\r\nok", // DEL in a value
                "HTTP/1.1 200 OK\r\nX-Cr: a\rb\r\nContent-Length: 2\r\n\r\nok", // lone CR in a value
                "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok", // non-digit status
                "HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\nok", // two-digit status
                "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok", // four-digit status
                "HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok", // status out of range
                "HTTP/1.1 200 O\u0001K\r\nContent-Length: 2\r\n\r\nok", // control char in the reason
                "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.2 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "http/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", // a stray CRLF first
                "HTTP/1.1 200 OK\r\n: no-name\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nX(A): 1\r\nContent-Length: 2\r\n\r\nok", // non-token name
                "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n\r\nok")) {
            assertNettyPathLikeNettyAlone(in);
        }
    }

    @Test
    void statusLineLongerThanTheDecodersLimitIsRefusedAsNettyRefusesIt() {
        // The gateway's decoder allows an 8192-byte initial line; a whole 9000-byte status line fits in the raw
        // parser's 16 KiB head but must still be refused, as it is when the same bytes arrive in two reads.
        assertNettyPathLikeNettyAlone("HTTP/1.1 200 " + "R".repeat(9000) + "\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void headRequestResponsesAlwaysGoToNetty() {
        UpstreamResponseDecoder d = decoder();
        d.headRequest(true);
        EmbeddedChannel ch = channel(d);
        List<Object> out = write(ch, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assertThat(out).hasSize(2);
        HttpResponse head = (HttpResponse) out.get(0);
        assertThat(head).isNotInstanceOf(RawResponse.class);
        assertThat(head.headers().get("content-length")).isEqualTo("5");
        assertThat(((LastHttpContent) out.get(1)).content().isReadable()).isFalse();
        d.headRequest(false);
        String next = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        assertThat(relayed(onlyRaw(write(ch, next)))).isEqualTo(next);
    }

    @Test
    void afterNettyFailsNothingMoreIsReadRaw() {
        EmbeddedChannel ch = channel(decoder());
        List<Object> out = write(ch, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(out).noneMatch(o -> o instanceof RawResponse);
        assertThat(((HttpResponse) out.get(0)).decoderResult().isFailure()).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private static HttpDecoderConfig config() {
        // As UpstreamConnector.decoderConfig(), with a fixed chunk size.
        return new HttpDecoderConfig()
                .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false))
                .setTrailersFactory(DefaultHttpHeadersFactory.trailersFactory().withValidation(false))
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(64 * 1024)
                .setMaxChunkSize(64 * 1024)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true);
    }

    private static UpstreamResponseDecoder decoder() {
        return new UpstreamResponseDecoder(config());
    }

    private static HttpResponseDecoder nettyAlone() {
        return new HttpResponseDecoder(config());
    }

    private EmbeddedChannel channel(io.netty.channel.ChannelHandler decoder) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        channels.add(ch);
        return ch;
    }

    /** Everything the decoder gives for {@code text} written in one read. */
    private List<Object> decode(io.netty.channel.ChannelHandler decoder, String text) {
        return write(channel(decoder), text);
    }

    /** Writes {@code text} as one pooled direct buffer (as a socket read gives) and collects what comes out. */
    private List<Object> write(EmbeddedChannel ch, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf in = ch.alloc().directBuffer(bytes.length);
        in.writeBytes(bytes);
        ch.writeInbound(in);
        return drain(ch);
    }

    private List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
            outputs.add(o);
        }
        return out;
    }

    private static RawResponse onlyRaw(List<Object> out) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isInstanceOf(RawResponse.class);
        return (RawResponse) out.get(0);
    }

    /** relayBytes() as text; the buffer stays owned by the RawResponse (relayBytes returns its own content). */
    private static String relayed(RawResponse raw) {
        ByteBuf bytes = raw.relayBytes();
        assertThat(bytes).isSameAs(raw.content());
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** Checks that our decoder gives no RawResponse for {@code in} and exactly what Netty alone gives. */
    private List<Object> assertNettyPathLikeNettyAlone(String in) {
        List<Object> ours = decode(decoder(), in);
        assertThat(describe(ours)).as(label(in)).isEqualTo(describe(decode(nettyAlone(), in)));
        return ours;
    }

    /** A short name for an input in failure messages. */
    private static String label(String in) {
        String shown = in.length() > 60 ? in.substring(0, 60) + "...(" + in.length() + " chars)" : in;
        return shown.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** The decoded head and body of a raw response, described like Netty's objects. */
    /**
     * What Netty decoded, as the gateway's client sees it whatever path the response takes: HTTP/1.1 in the status
     * line, no hop-by-hop headers (the raw path leaves them out when it reads the head).
     */
    private static List<Object> asRelayed(List<Object> decoded) {
        for (Object o : decoded) {
            if (o instanceof HttpResponse) {
                ((HttpResponse) o).setProtocolVersion(io.netty.handler.codec.http.HttpVersion.HTTP_1_1);
                io.portcullis.http.HopByHop.strip(((HttpResponse) o).headers());
            }
        }
        return decoded;
    }

    private String decodedRaw(RawResponse raw) {
        HttpResponse head = raw.decodeHead();
        LastHttpContent body = raw.decodeBody();
        outputs.removeIf(o -> o == raw);
        outputs.add(body);
        return describe(List.of(head, body));
    }

    private static String body(List<Object> out) {
        StringBuilder sb = new StringBuilder();
        for (Object o : out) {
            if (o instanceof HttpContent) {
                sb.append(((HttpContent) o).content().toString(StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    /** A comparable text for decoded objects: version, status, reason, headers in order, body parts, results. */
    private static String describe(List<Object> out) {
        StringBuilder sb = new StringBuilder();
        for (Object o : out) {
            if (o instanceof RawResponse) {
                sb.append("RAW ").append(o).append('\n');
                continue;
            }
            if (o instanceof HttpResponse) {
                HttpResponse r = (HttpResponse) o;
                sb.append("HEAD ").append(r.protocolVersion()).append(" ").append(r.status().code())
                        .append(" [").append(shorten(r.status().reasonPhrase())).append("] ").append(result(r.decoderResult()))
                        .append('\n');
                for (Map.Entry<String, String> h : r.headers()) {
                    sb.append("  ").append(h.getKey()).append(": [").append(h.getValue()).append("]\n");
                }
            }
            if (o instanceof HttpContent) {
                HttpContent c = (HttpContent) o;
                sb.append(o instanceof LastHttpContent ? "LAST " : "PART ")
                        .append(c.content().toString(StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n"))
                        .append(' ').append(result(c.decoderResult())).append('\n');
                if (o instanceof LastHttpContent) {
                    for (Map.Entry<String, String> h : ((LastHttpContent) o).trailingHeaders()) {
                        sb.append("  trailer ").append(h.getKey()).append(": [").append(h.getValue()).append("]\n");
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 20) + "...(" + s.length() + " chars)" : s;
    }

    private static String result(DecoderResult r) {
        if (r.isSuccess()) {
            return "ok";
        }
        return r.isFailure() ? "failed(" + r.cause().getClass().getSimpleName() + ")" : "unfinished";
    }
}
