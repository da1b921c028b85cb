package io.portcullis.policy.rewrite;

import io.portcullis.routing.CompiledMatch;
import io.portcullis.routing.PathPrefix;

/** {@code path: {full: ...}} or {@code path: {prefix: ...}} (Gateway API semantics for the prefix form). */
public final class PathRewrite {
    private final String full;
    private final String prefix;

    public PathRewrite(String full, String prefix) {
        this.full = full;
        this.prefix = prefix;
    }

    /** The new path for {@code path}, given the match that selected the route. */
    public String apply(String path, CompiledMatch match) {
        if (full != null) {
            return full;
        }
        int matched;
        switch (match.pathKind()) {
            case PREFIX:
                matched = PathPrefix.matchedLength(match.pathValue());
                if (matched == 1) {
                    matched = 0; // prefix "/" matched nothing to replace: prepend
                }
                break;
            case EXACT:
                matched = path.length();
                break;
            default:
                return path; // a regex match has no prefix to replace
        }
        String rest = path.substring(matched);
        if (rest.isEmpty()) {
            return prefix;
        }
        if (prefix.endsWith("/") && rest.startsWith("/")) {
            return prefix + rest.substring(1);
        }
        if (!prefix.endsWith("/") && !rest.startsWith("/")) {
            return prefix + "/" + rest;
        }
        return prefix + rest;
    }
}
