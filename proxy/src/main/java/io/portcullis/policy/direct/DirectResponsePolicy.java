package io.portcullis.policy.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.portcullis.http.LocalReplies;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import java.nio.charset.StandardCharsets;

/**
 * {@code directResponse}: answers with a fixed status and body. The body is encoded once at load into an
 * unreleasable buffer; each reply sends a duplicate of it, so no copy is made per request.
 */
public final class DirectResponsePolicy implements Policy {
    private static final String REASON = "direct_response";

    private final HttpResponseStatus status;
    private final ByteBuf body;
    private final CharSequence contentType;

    public DirectResponsePolicy(int status, String body) {
        this.status = HttpResponseStatus.valueOf(status);
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        // A wrapped heap array, owned by this policy for its whole life: not allocator memory, so nothing to
        // release when a reload drops the policy (a direct buffer here was reported as leaked when collected).
        this.body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)).asReadOnly();
        this.contentType = sniffContentType(body);
    }

    /** JSON-looking bodies (the seed's health check) are labelled as JSON, everything else as text. */
    private static CharSequence sniffContentType(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        char first = body.trim().isEmpty() ? ' ' : body.trim().charAt(0);
        return first == '{' || first == '[' ? "application/json" : "text/plain; charset=utf-8";
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        return PolicyResult.respond(LocalReplies.of(status, body.duplicate(), contentType), REASON);
    }
}
