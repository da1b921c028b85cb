package io.portcullis.config.policy;

/** {@code urlRewrite}: rewrite {@code authority} and/or {@code path} before forwarding. */
public record UrlRewriteConfig(AuthorityRewriteConfig authority, PathRewriteConfig path) {}
