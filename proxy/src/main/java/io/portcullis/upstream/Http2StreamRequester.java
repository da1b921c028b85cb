package io.portcullis.upstream;

/** An exchange waiting for an HTTP/2 stream to its backend. Called on the event loop. */
public interface Http2StreamRequester {
    /** The stream is open; its handler relays the response to the listener the exchange attaches. */
    void onStream(UpstreamHandler stream);

    /**
     * No stream: the connection could not be made ({@code connectFailed}: TCP connect) or closed before it
     * could carry one ({@code cause} says why when known, e.g. a TLS failure).
     */
    void onStreamFailed(Throwable cause, boolean connectFailed);

    /** True once the exchange ended meanwhile (timeout, client gone): its turn is skipped. */
    boolean isDone();
}
