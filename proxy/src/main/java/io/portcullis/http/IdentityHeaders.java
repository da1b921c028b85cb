package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Headers by which an authenticating proxy in front names the user (seed 000: {@code X-Remote-User},
 * {@code X-Forwarded-User}). Backends trust them, so they are kept only from {@code trustedIdentityProxies}
 * and removed from everyone else; otherwise any client could claim to be any user.
 */
public final class IdentityHeaders {
    public static final AsciiString X_REMOTE_USER = AsciiString.cached("x-remote-user");
    public static final AsciiString X_FORWARDED_USER = AsciiString.cached("x-forwarded-user");

    private IdentityHeaders() {}

    public static void strip(HttpHeaders headers) {
        headers.remove(X_REMOTE_USER);
        headers.remove(X_FORWARDED_USER);
    }
}
