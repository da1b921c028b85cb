package io.portcullis.policy.jwt;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.portcullis.config.policy.BackendAuthConfig;
import io.portcullis.config.policy.JwtAuthConfig;
import io.portcullis.config.policy.JwtMode;
import io.portcullis.http.LocalReplies;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code jwtAuth}: finds the token, verifies it ({@link TokenVerifier}), applies the proof-of-possession
 * checks ({@link DpopChecker}), exposes the claims to later policies, and removes the credential before
 * forwarding unless {@code backendAuth: {passthrough: {}}}. Never blocks: when a token names a key that is
 * being fetched, the request waits for the fetch off the event loop and this policy runs again.
 */
public final class JwtAuthPolicy implements Policy {
    static final AsciiString DPOP = AsciiString.cached("dpop");
    static final AsciiString DPOP_NONCE = AsciiString.cached("dpop-nonce");
    private static final String REALM = "Bearer realm=\"portcullis\"";
    private static final String DPOP_ALGS = "DPoP algs=\"ES256 ES384 RS256 RS384 RS512 PS256 PS384 PS512 EdDSA\"";

    private final JwtMode mode;
    private final TokenLocation location;
    private final TokenVerifier verifier;
    private final DpopChecker dpop;
    private final boolean passthrough;
    /** Refusals by reason, for the metrics endpoint (and tests); striped counters, no contention. */
    private final EnumMap<AuthFailure, LongAdder> refusals = new EnumMap<>(AuthFailure.class);

    JwtAuthPolicy(JwtMode mode, TokenLocation location, TokenVerifier verifier, DpopChecker dpop, boolean passthrough) {
        this.mode = mode;
        this.location = location;
        this.verifier = verifier;
        this.dpop = dpop;
        this.passthrough = passthrough;
        for (AuthFailure failure : AuthFailure.values()) {
            refusals.put(failure, new LongAdder());
        }
    }

    /** How many requests this policy refused (or, in permissive mode, let through unauthenticated) for {@code failure}. */
    public long refusals(AuthFailure failure) {
        return refusals.get(failure).sum();
    }

    /** Builds the policy from validated config: reads key files and starts key fetches (at load, not on a loop). */
    public static JwtAuthPolicy compile(JwtAuthConfig config, BackendAuthConfig backendAuth) {
        return JwtAuthCompiler.compile(config, backendAuth);
    }

    /** Stops the key sets' file polls and URL refreshes. */
    @Override
    public void close() {
        verifier.close();
    }

    @Override
    public PolicyResult apply(RequestContext rc) {
        TokenLocation.Found found = location.find(rc);
        if (found == null) {
            return mode == JwtMode.strict ? fail(rc, AuthFailure.MISSING, false, null) : PolicyResult.CONTINUE;
        }
        if (found == TokenLocation.AMBIGUOUS) {
            return fail(rc, AuthFailure.AMBIGUOUS, false, null);
        }
        long now = TokenVerifier.epochSeconds();
        String method = rc.request().method().name();
        VerifiedToken token = null;
        try {
            token = verifier.verify(found, now, !rc.resumed());
            if (dpop != null) {
                dpop.check(token, found.token(), found.scheme(), rc.request().headers().getAll(DPOP), method,
                        ExternalUri.of(rc), now);
            } else if (token.bound()) {
                // A key-bound token proves nothing without its proof, and this route checks no proofs.
                throw AuthFailure.BOUND_TOKEN_AS_BEARER.refusal();
            } else {
                DpopChecker.checkBinding(token.claims(), method, rc);
            }
        } catch (TokenVerifier.AwaitKeys wait) {
            return PolicyResult.await(wait.ready);
        } catch (AuthFailure.Refusal refusal) {
            return fail(rc, refusal.failure, found.scheme() == DpopChecker.Scheme.DPOP, token);
        }
        rc.claims(token.claims());
        if (!passthrough) {
            location.strip(rc);
            rc.request().headers().remove(DPOP);
        }
        return PolicyResult.CONTINUE;
    }

    /**
     * Counts the failure and notes it on the request (metrics, access log: with the token's {@code htm} /
     * {@code htu} when those did not fit); refuses the request unless the mode is permissive.
     */
    private PolicyResult fail(RequestContext rc, AuthFailure failure, boolean dpopScheme, VerifiedToken token) {
        refusals.get(failure).increment();
        boolean binding = failure == AuthFailure.WRONG_METHOD || failure == AuthFailure.WRONG_URI;
        rc.authFailure(failure.reason(), binding && token != null ? token.claims().get("htm") : null,
                binding && token != null ? token.claims().get("htu") : null);
        return mode == JwtMode.permissive ? PolicyResult.CONTINUE : refuse(failure, dpopScheme);
    }

    /**
     * 401 with the reason and a {@code WWW-Authenticate} challenge: RFC 6750 for bearer tokens, RFC 9449
     * ({@code DPoP error=...}) when the client used DPoP or the failure concerns a proof.
     */
    private PolicyResult refuse(AuthFailure failure, boolean dpopScheme) {
        FullHttpResponse reply = LocalReplies.text(HttpResponseStatus.UNAUTHORIZED, "unauthorized: " + failure.message());
        String code = failure.errorCode();
        boolean dpopChallenge = dpop != null && (dpopScheme || code != null && code.contains("dpop"));
        if (code == null) {
            reply.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, REALM);
            if (dpop != null) {
                reply.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, DPOP_ALGS);
            }
        } else if (dpopChallenge) {
            reply.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, DPOP_ALGS + ", error=\"" + code
                    + "\", error_description=\"" + failure.message() + "\"");
        } else {
            reply.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, REALM + ", error=\"" + code
                    + "\", error_description=\"" + failure.message() + "\"");
        }
        if (failure == AuthFailure.NONCE_REQUIRED && dpop.nonces() != null) {
            reply.headers().set(DPOP_NONCE, dpop.nonces().issue(TokenVerifier.epochSeconds()));
        }
        return PolicyResult.respond(reply, failure.replyReason());
    }
}
