package io.portcullis.policy.jwt;

/**
 * The verified-token cache's key: the raw credential, hashed over its length and last 32 characters only.
 * Each request carries a fresh copy of the token, so a full String hash (~500 characters, not vectorised on
 * JDK 17) was most of a cache hit's cost. The tail of a JWS is its signature, random for every token, so the
 * short hash spreads as well as the full one; and since only verified tokens are ever stored, nobody can fill
 * a hash bucket with chosen collisions (that would need valid signatures). Equality is still the full value.
 */
final class TokenKey {
    private static final int HASHED_TAIL = 32;

    private final String raw;
    private final int hash;

    TokenKey(String raw) {
        this.raw = raw;
        int h = raw.length();
        for (int i = Math.max(0, raw.length() - HASHED_TAIL); i < raw.length(); i++) {
            h = 31 * h + raw.charAt(i);
        }
        this.hash = h;
    }

    /** Roughly what this key keeps alive: the credential (one byte per character) and two object headers. */
    int estimatedBytes() {
        return raw.length() + 64;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenKey other && other.hash == hash && other.raw.equals(raw);
    }
}
