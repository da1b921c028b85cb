package io.portcullis.policy;

import io.netty.handler.codec.http.FullHttpResponse;

/** Continue with the next policy, or stop and answer locally with {@link #reply()}. */
public final class PolicyResult {
    public static final PolicyResult CONTINUE = new PolicyResult(null, null);

    private final FullHttpResponse reply;
    private final String reason;

    private PolicyResult(FullHttpResponse reply, String reason) {
        this.reply = reply;
        this.reason = reason;
    }

    /** Stop the chain and send {@code reply}; {@code reason} labels metrics and the access log. */
    public static PolicyResult respond(FullHttpResponse reply, String reason) {
        return new PolicyResult(reply, reason);
    }

    public boolean isContinue() {
        return reply == null;
    }

    public FullHttpResponse reply() {
        return reply;
    }

    public String reason() {
        return reason;
    }
}
