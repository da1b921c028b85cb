package io.portcullis.policy;

import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletionStage;

/**
 * What a policy decided: continue with the next policy, stop and answer locally with {@link #reply()}, or
 * wait for something that is being fetched off the event loop (a key set) and then run the same policy
 * again ({@link #pending()}).
 */
public final class PolicyResult {
    public static final PolicyResult CONTINUE = new PolicyResult(null, null, null);

    private final FullHttpResponse reply;
    private final String reason;
    private final CompletionStage<?> pending;

    private PolicyResult(FullHttpResponse reply, String reason, CompletionStage<?> pending) {
        this.reply = reply;
        this.reason = reason;
        this.pending = pending;
    }

    /** Stop the chain and send {@code reply}; {@code reason} labels metrics and the access log. */
    public static PolicyResult respond(FullHttpResponse reply, String reason) {
        return new PolicyResult(reply, reason, null);
    }

    /**
     * Suspend the chain until {@code ready} completes (successfully or not), then run the same policy again.
     * The stage must complete off the event loop's critical path; the chain resumes on the event loop.
     */
    public static PolicyResult await(CompletionStage<?> ready) {
        return new PolicyResult(null, null, ready);
    }

    public boolean isContinue() {
        return reply == null && pending == null;
    }

    public boolean isPending() {
        return pending != null;
    }

    public FullHttpResponse reply() {
        return reply;
    }

    public String reason() {
        return reason;
    }

    public CompletionStage<?> pending() {
        return pending;
    }
}
