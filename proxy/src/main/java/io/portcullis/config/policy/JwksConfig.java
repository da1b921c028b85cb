package io.portcullis.config.policy;

/**
 * {@code jwks}: a key set from a {@code file}, a {@code url} (http or https, fetched off the event loop and
 * refreshed), or inline JSON written as a plain string (agentgateway's form; {@code inline:} is accepted too).
 */
public record JwksConfig(String file, String url, String inline) {

    /** A plain string is the key set itself. */
    public static JwksConfig fromScalar(String json) {
        return new JwksConfig(null, null, json);
    }
}
