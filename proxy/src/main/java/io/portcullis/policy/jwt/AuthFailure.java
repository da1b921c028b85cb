package io.portcullis.policy.jwt;

/**
 * Why a request's credentials were refused: the reason sent to the client (fixed text, never the token),
 * the metrics / access-log label, and the RFC 6750 / RFC 9449 error code for {@code WWW-Authenticate}.
 */
public enum AuthFailure {
    MISSING("missing token", "missing_token", null),
    MALFORMED("malformed token", "malformed_token", "invalid_token"),
    AMBIGUOUS("more than one token", "ambiguous_token", "invalid_request"),
    TOO_LARGE("token too large", "token_too_large", "invalid_token"),
    ALG_NOT_ALLOWED("token algorithm not allowed", "alg_not_allowed", "invalid_token"),
    CRIT_UNSUPPORTED("token has unsupported critical header", "crit_unsupported", "invalid_token"),
    BAD_KID("token kid is not valid", "bad_kid", "invalid_token"),
    UNKNOWN_ISSUER("token issuer not accepted", "wrong_issuer", "invalid_token"),
    UNKNOWN_KEY("token signed by an unknown key", "unknown_key", "invalid_token"),
    BAD_SIGNATURE("token signature invalid", "bad_signature", "invalid_token"),
    EXPIRED("token expired", "expired", "invalid_token"),
    NOT_YET_VALID("token not yet valid", "not_yet_valid", "invalid_token"),
    WRONG_AUDIENCE("token audience not accepted", "wrong_audience", "invalid_token"),
    MISSING_CLAIM("token lacks a required claim", "missing_claim", "invalid_token"),
    WRONG_METHOD("token not valid for this method (htm)", "htm_mismatch", "invalid_token"),
    WRONG_URI("token not valid for this URI (htu)", "htu_mismatch", "invalid_token"),
    TOKEN_TOO_OLD("token too old (iat)", "iat_too_old", "invalid_token"),
    ISSUED_IN_FUTURE("token issued in the future (iat)", "iat_in_future", "invalid_token"),
    REPLAYED("token already used (jti)", "replayed", "invalid_token"),
    REPLAY_CACHE_FULL("replay cache full, try again later", "replay_cache_full", "invalid_token"),
    BOUND_TOKEN_AS_BEARER("DPoP-bound token sent as Bearer", "bound_as_bearer", "invalid_token"),
    PROOF_REQUIRED("DPoP proof required", "proof_required", "invalid_token"),
    PROOF_MISSING("DPoP proof missing", "proof_missing", "invalid_dpop_proof"),
    PROOF_INVALID("DPoP proof invalid", "proof_invalid", "invalid_dpop_proof"),
    PROOF_WRONG_METHOD("DPoP proof not valid for this method (htm)", "proof_htm_mismatch", "invalid_dpop_proof"),
    PROOF_WRONG_URI("DPoP proof not valid for this URI (htu)", "proof_htu_mismatch", "invalid_dpop_proof"),
    PROOF_STALE("DPoP proof too old or from the future (iat)", "proof_iat", "invalid_dpop_proof"),
    PROOF_REPLAYED("DPoP proof already used (jti)", "proof_replayed", "invalid_dpop_proof"),
    PROOF_WRONG_ATH("DPoP proof does not match the token (ath)", "proof_ath_mismatch", "invalid_dpop_proof"),
    PROOF_WRONG_KEY("DPoP proof key does not match the token (cnf.jkt)", "proof_jkt_mismatch", "invalid_dpop_proof"),
    NONCE_REQUIRED("DPoP nonce required", "use_dpop_nonce", "use_dpop_nonce");

    private final String message;
    private final String reason;
    private final String errorCode;
    private final String replyReason;

    AuthFailure(String message, String reason, String errorCode) {
        this.message = message;
        this.reason = reason;
        this.errorCode = errorCode;
        this.replyReason = "jwt_" + reason;
    }

    /** The text sent to the client. */
    public String message() {
        return message;
    }

    /** Metric / access-log label. */
    public String reason() {
        return reason;
    }

    /** The reason label of the 401 ({@code jwt_<reason>}), built once rather than per refusal. */
    public String replyReason() {
        return replyReason;
    }

    /** The {@code error} parameter of {@code WWW-Authenticate}; null when none (no credentials were sent). */
    public String errorCode() {
        return errorCode;
    }

    /** Thrown inside verification to stop at the first failed check. No stack trace: it is not a bug. */
    static final class Refusal extends Exception {
        final AuthFailure failure;

        Refusal(AuthFailure failure) {
            super(failure.reason, null, false, false);
            this.failure = failure;
        }
    }

    Refusal refusal() {
        return new Refusal(this);
    }
}
