package io.portcullis.policy.jwt;

import java.util.List;
import java.util.Map;

/**
 * An immutable, parsed key set: keys by {@code kid}, plus the keys without one (tried only when a token
 * names no {@code kid}). Swapped whole when a key set is refreshed, so readers never see half an update.
 */
final class KeySet {
    static final KeySet EMPTY = new KeySet(Map.of(), List.of());

    private final Map<String, VerificationKey> byKid;
    private final List<VerificationKey> withoutKid;

    KeySet(Map<String, VerificationKey> byKid, List<VerificationKey> withoutKid) {
        this.byKid = Map.copyOf(byKid);
        this.withoutKid = List.copyOf(withoutKid);
    }

    VerificationKey byKid(String kid) {
        return byKid.get(kid);
    }

    List<VerificationKey> withoutKid() {
        return withoutKid;
    }

    int size() {
        return byKid.size() + withoutKid.size();
    }
}
