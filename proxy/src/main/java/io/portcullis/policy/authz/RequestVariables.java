package io.portcullis.policy.authz;

import static java.util.Objects.requireNonNull;

import dev.cel.runtime.CelVariableResolver;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.portcullis.policy.RequestContext;
import java.util.Map;
import java.util.Optional;

/**
 * The variables of one request as CEL asks for them. Nothing is built up front: a value is made when a rule
 * reads it, and the two that cost something ({@code jwt}, {@code request.headers}) are kept for the other
 * rules of the same request. Confined to the request's event loop, like the {@link RequestContext} it reads.
 */
final class RequestVariables implements CelVariableResolver {
    static final String JWT = "jwt";
    static final String METHOD = "request.method";
    static final String PATH = "request.path";
    static final String HOST = "request.host";
    static final String SCHEME = "request.scheme";
    static final String HEADERS = "request.headers";
    static final String SOURCE_ADDRESS = "source.address";

    private static final Optional<Object> NO_CLAIMS = Optional.of(Map.of());

    private final RequestContext ctx;
    private Optional<Object> jwt;
    private Optional<Object> headers;

    RequestVariables(RequestContext ctx) {
        this.ctx = requireNonNull(ctx, "ctx");
    }

    @Override
    public Optional<Object> find(String name) {
        switch (name) {
            case JWT:
                if (jwt == null) {
                    Map<String, Object> claims = ctx.claims();
                    jwt = claims == null ? NO_CLAIMS : Optional.of(ClaimValues.forCel(claims));
                }
                return jwt;
            case METHOD:
                return Optional.of(ctx.request().method().name());
            case PATH:
                return Optional.of(ctx.view().path());
            case HOST:
                // The authority as the client sent it (port included), as agentgateway's request.host; an
                // absolute-form target has already been copied into Host. No Host: reading it is an error.
                return Optional.ofNullable(ctx.request().headers().get(HttpHeaderNames.HOST));
            case SCHEME:
                return Optional.of(ctx.scheme());
            case HEADERS:
                if (headers == null) {
                    headers = Optional.of(new HeadersView(ctx.request().headers()));
                }
                return headers;
            case SOURCE_ADDRESS:
                return Optional.ofNullable(ctx.peerIp());
            default:
                return Optional.empty();
        }
    }
}
