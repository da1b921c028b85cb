package io.portcullis.policy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.routing.RequestView;
import io.portcullis.routing.RouteEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-request state the policies read and change: the (mutable) request head, its parsed view, the matched
 * route entry, the client, the validated token's claims, and what the policies decided for forwarding and
 * for the response. Confined to the connection's event loop.
 */
public final class RequestContext {
    private final HttpRequest request;
    private final RequestView view;
    private final RouteEntry entry;
    private final ByteBufAllocator alloc;
    private final String scheme;
    private final String peerIp;
    private final boolean peerTrusted;
    private String path;
    private String authorityOverride;
    private String query;
    private boolean queryChanged;
    private Map<String, Object> claims;
    private String authFailure;
    private Object boundHtm;
    private Object boundHtu;
    private List<Consumer<HttpHeaders>> responseActions;
    private int nextPolicy;
    private int waitedAt = -1;

    public RequestContext(HttpRequest request, RequestView view, RouteEntry entry, ByteBufAllocator alloc,
                          String scheme, String peerIp, boolean peerTrusted) {
        this.request = request;
        this.view = view;
        this.entry = entry;
        this.alloc = alloc;
        this.scheme = scheme;
        this.peerIp = peerIp;
        this.peerTrusted = peerTrusted;
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

    /** The scheme the client used to reach this listener ({@code http} or {@code https}). */
    public String scheme() {
        return scheme;
    }

    /** The client's IP address as seen on the socket (never taken from a header). */
    public String peerIp() {
        return peerIp;
    }

    /** Whether the client is one of {@code trustedProxies}, so its forwarding headers may be believed. */
    public boolean peerTrusted() {
        return peerTrusted;
    }

    /** The path to forward (after rewrites), without query. */
    public String path() {
        return path;
    }

    public void path(String newPath) {
        this.path = newPath;
    }

    /** Replaces the query string to forward (null: none), e.g. to remove a credential from it. */
    public void query(String newQuery) {
        this.query = newQuery;
        this.queryChanged = true;
    }

    /** Whether a policy replaced the query; then {@link #query()} is what to forward. */
    public boolean queryChanged() {
        return queryChanged;
    }

    public String query() {
        return query;
    }

    /** The Host to send upstream when a rewrite set one; null keeps the backend's authority. */
    public String authorityOverride() {
        return authorityOverride;
    }

    public void authorityOverride(String authority) {
        this.authorityOverride = authority;
    }

    /** The claims of the token {@code jwtAuth} validated, or null when there is none. Read-only. */
    public Map<String, Object> claims() {
        return claims;
    }

    public void claims(Map<String, Object> validated) {
        this.claims = validated;
    }

    /**
     * Records why {@code jwtAuth} refused the token (an {@code AuthFailure} label, e.g. {@code expired}) for
     * metrics and the access log, even in permissive mode where the request goes on; with the {@code htm} /
     * {@code htu} the token was bound to when those did not fit the request (null otherwise).
     */
    public void authFailure(String reason, Object htm, Object htu) {
        this.authFailure = reason;
        this.boundHtm = htm;
        this.boundHtu = htu;
    }

    /** The {@code jwtAuth} refusal label, or null when the token passed or none was checked. */
    public String authFailure() {
        return authFailure;
    }

    /** The {@code htm} claim of a token refused for its method or URI binding, else null. */
    public Object boundHtm() {
        return boundHtm;
    }

    /** The {@code htu} claim of a token refused for its method or URI binding, else null. */
    public Object boundHtu() {
        return boundHtu;
    }

    /** Registers a change to make to this request's response headers (backend or local reply). */
    public void onResponse(Consumer<HttpHeaders> action) {
        if (responseActions == null) {
            responseActions = new ArrayList<>(2);
        }
        responseActions.add(action);
    }

    /** Applies the registered response changes, in registration order. */
    public void applyResponseActions(HttpHeaders responseHeaders) {
        if (responseActions != null) {
            for (Consumer<HttpHeaders> action : responseActions) {
                action.accept(responseHeaders);
            }
        }
    }

    public boolean hasResponseActions() {
        return responseActions != null;
    }

    /**
     * Whether the running policy is running again after it asked to wait: it must then decide with what it
     * has (e.g. a key still unknown after the fetch is refused), never wait a second time.
     */
    public boolean resumed() {
        return waitedAt == nextPolicy;
    }

    void waitedAt(int index) {
        this.waitedAt = index;
    }

    int nextPolicy() {
        return nextPolicy;
    }

    void nextPolicy(int index) {
        this.nextPolicy = index;
    }
}
