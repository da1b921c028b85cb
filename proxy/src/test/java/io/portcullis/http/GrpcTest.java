package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

class GrpcTest {
    @Test
    void grpcContentTypesAreRecognisedButNotGrpcWeb() {
        assertThat(Grpc.isGrpc(new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc"))).isTrue();
        assertThat(Grpc.isGrpc(new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc+proto"))).isTrue();
        assertThat(Grpc.isGrpc(new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, "Application/GRPC;x=1"))).isTrue();
        assertThat(Grpc.isGrpc(new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc-web"))).isFalse();
        assertThat(Grpc.isGrpc(new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, "application/json"))).isFalse();
        assertThat(Grpc.isGrpc(new DefaultHttpHeaders())).isFalse();
    }

    @Test
    void httpStatusesMapAsGrpcSpecifies() {
        assertThat(Grpc.statusFor(400)).isEqualTo(13);
        assertThat(Grpc.statusFor(401)).isEqualTo(16);
        assertThat(Grpc.statusFor(403)).isEqualTo(7);
        assertThat(Grpc.statusFor(404)).isEqualTo(12);
        assertThat(Grpc.statusFor(429)).isEqualTo(14);
        assertThat(Grpc.statusFor(502)).isEqualTo(14);
        assertThat(Grpc.statusFor(503)).isEqualTo(14);
        assertThat(Grpc.statusFor(504)).isEqualTo(14);
        assertThat(Grpc.statusFor(413)).isEqualTo(2);
    }

    @Test
    void localErrorBecomesTrailersOnlyGrpcError() {
        FullHttpResponse text = LocalReplies.text(HttpResponseStatus.TOO_MANY_REQUESTS, "rate limit exceeded");
        text.headers().set(HttpHeaderNames.RETRY_AFTER, "3");
        FullHttpResponse grpc = Grpc.localReply(text);
        assertThat(text.refCnt()).isZero();
        assertThat(grpc.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(grpc.content().readableBytes()).isZero();
        assertThat(grpc.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/grpc");
        assertThat(grpc.headers().contains(HttpHeaderNames.CONTENT_LENGTH)).isFalse();
        assertThat(grpc.headers().get(Grpc.GRPC_STATUS)).isEqualTo("14");
        assertThat(grpc.headers().get(Grpc.GRPC_MESSAGE)).isEqualTo("rate limit exceeded");
        assertThat(grpc.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("3");
        grpc.release();
    }

    @Test
    void errorWithoutTextTakesTheReasonPhrase() {
        FullHttpResponse empty = LocalReplies.empty(HttpResponseStatus.FORBIDDEN);
        FullHttpResponse grpc = Grpc.localReply(empty);
        assertThat(grpc.headers().get(Grpc.GRPC_STATUS)).isEqualTo("7");
        assertThat(grpc.headers().get(Grpc.GRPC_MESSAGE)).isEqualTo("Forbidden");
    }

    @Test
    void repliesBelow400StayAsTheyAre() {
        FullHttpResponse redirect = LocalReplies.empty(HttpResponseStatus.FOUND);
        assertThat(Grpc.localReply(redirect)).isSameAs(redirect);
    }

    @Test
    void grpcMessageIsPercentEncoded() {
        assertThat(Grpc.percentEncode("50% off: ünïcode\n")).isEqualTo("50%25 off: %C3%BCn%C3%AFcode%0A");
    }
}
