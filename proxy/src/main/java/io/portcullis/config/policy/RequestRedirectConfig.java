package io.portcullis.config.policy;

/** {@code requestRedirect}: answer with a redirect built from the request and these overrides (status default 302). */
public record RequestRedirectConfig(
        String scheme, AuthorityRewriteConfig authority, PathRewriteConfig path, Integer status) {}
