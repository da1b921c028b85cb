package io.portcullis.policy.cors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code allowOrigins}, compiled. As in agentgateway: {@code *} anywhere in the list allows every origin; an
 * empty list allows none; otherwise an origin is allowed when one entry matches its scheme, host
 * (case-insensitive, {@code *} as a wildcard) and port (default ports filled in).
 *
 * <p>Browsers serialize an origin one way (lower case, no default port), so the usual allowed request is
 * answered by one hash lookup of the header text in {@link #serialized}; only other spellings and origins
 * that are not listed verbatim are parsed and compared with every entry. Immutable, shared by all event loops.
 */
final class AllowedOrigins {
    private final boolean any;
    private final Set<String> serialized;
    private final ParsedOrigin[] entries;

    private AllowedOrigins(boolean any, Set<String> serialized, ParsedOrigin[] entries) {
        this.any = any;
        this.serialized = serialized;
        this.entries = entries;
    }

    /**
     * @throws IllegalArgumentException for an entry that is not an origin; the validator has refused such a
     *     config at load already, so this only guards against compiling an unvalidated one
     */
    static AllowedOrigins compile(List<String> origins) {
        if (origins == null || origins.isEmpty()) {
            return new AllowedOrigins(false, Set.of(), new ParsedOrigin[0]);
        }
        if (origins.contains("*")) {
            return new AllowedOrigins(true, Set.of(), new ParsedOrigin[0]);
        }
        Set<String> serialized = new HashSet<>();
        List<ParsedOrigin> entries = new ArrayList<>(origins.size());
        for (String origin : origins) {
            ParsedOrigin parsed = ParsedOrigin.parsePattern(origin);
            if (parsed == null) {
                throw new IllegalArgumentException("not an origin: " + origin);
            }
            if (!parsed.isWildcard()) {
                serialized.add(parsed.serialized());
            }
            entries.add(parsed);
        }
        return new AllowedOrigins(false, Set.copyOf(serialized), entries.toArray(new ParsedOrigin[0]));
    }

    /** No origin is allowed ({@code allowOrigins} missing or empty). */
    boolean none() {
        return !any && entries.length == 0;
    }

    boolean allows(String origin) {
        if (any || serialized.contains(origin)) {
            return true;
        }
        if (entries.length == 0) {
            return false;
        }
        ParsedOrigin parsed = ParsedOrigin.parse(origin);
        if (parsed == null) {
            return false;
        }
        for (ParsedOrigin entry : entries) {
            if (entry.matches(parsed)) {
                return true;
            }
        }
        return false;
    }
}
