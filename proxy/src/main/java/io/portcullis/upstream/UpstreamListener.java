package io.portcullis.upstream;

import io.netty.handler.codec.http.HttpObject;

/** What an upstream connection reports to the exchange currently using it. Called on the event loop. */
public interface UpstreamListener {
    /** A decoded response part; the listener owns it (and must release it). */
    void onResponseObject(HttpObject msg);

    /** The end of one read batch: time to flush what was relayed and ask for more. */
    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged();

    /** The connection closed (or failed) while this listener used it. */
    void onUpstreamClosed(Throwable cause);
}
