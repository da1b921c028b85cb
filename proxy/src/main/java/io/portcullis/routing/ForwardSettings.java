package io.portcullis.routing;

/**
 * Per-route forwarding limits, defaults already applied. Times are nanoseconds; 0 means no limit.
 *
 * @param requestTimeoutNanos whole exchange, from request head to last response byte
 * @param backendRequestTimeoutNanos one upstream attempt, from request head sent to response head
 * @param maxRequestBodySize bytes; larger bodies get 413
 * @param retryAttempts total attempts including the first (1 = no retry)
 * @param retryBackoffNanos delay between attempts
 * @param retryCodes response statuses that are retried (sorted)
 */
public record ForwardSettings(
        long requestTimeoutNanos,
        long backendRequestTimeoutNanos,
        long maxRequestBodySize,
        int retryAttempts,
        long retryBackoffNanos,
        int[] retryCodes) {

    /** Request bodies up to this size are kept in memory so the request can be replayed on a retry. */
    public static final int MAX_REPLAYABLE_BODY = 64 * 1024;

    public boolean retriesOnStatus(int status) {
        for (int code : retryCodes) {
            if (code == status) {
                return true;
            }
        }
        return false;
    }
}
