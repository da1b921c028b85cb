package io.portcullis.policy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.routing.RequestView;
import io.portcullis.routing.RouteEntry;

/**
 * Per-request state the policies read and change: the (mutable) request head, its parsed view, the matched
 * route entry, and what the policies decided for forwarding. Confined to the connection's event loop.
 */
public final class RequestContext {
    private final HttpRequest request;
    private final RequestView view;
    private final RouteEntry entry;
    private final ByteBufAllocator alloc;
    private final String scheme;
    private String path;
    private String authorityOverride;

    public RequestContext(HttpRequest request, RequestView view, RouteEntry entry, ByteBufAllocator alloc,
                          String scheme) {
        this.request = request;
        this.view = view;
        this.entry = entry;
        this.alloc = alloc;
        this.scheme = scheme;
        this.path = view.path();
    }

    public HttpRequest request() {
        return request;
    }

    public RequestView view() {
        return view;
    }

    public RouteEntry entry() {
        return entry;
    }

    public ByteBufAllocator alloc() {
        return alloc;
    }

    /** The external scheme of the request ({@code http} or {@code https}). */
    public String scheme() {
        return scheme;
    }

    /** The path to forward (after rewrites), without query. */
    public String path() {
        return path;
    }

    public void path(String newPath) {
        this.path = newPath;
    }

    /** The Host to send upstream when a rewrite set one; null keeps the backend's authority. */
    public String authorityOverride() {
        return authorityOverride;
    }

    public void authorityOverride(String authority) {
        this.authorityOverride = authority;
    }
}
