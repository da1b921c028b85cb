package io.portcullis.tls;

import java.io.File;
import javax.net.ssl.SSLException;

/** The wording of TLS file problems at load, shared by listener and backend TLS so both read the same. */
public final class TlsFiles {
    private TlsFiles() {}

    /** Why {@code file} cannot be read, or null when it can. */
    public static String unreadable(String file) {
        File f = new File(file);
        if (f.isFile() && f.canRead()) {
            return null;
        }
        return "cannot read " + file + ": " + (!f.exists() ? "no such file" : f.isFile() ? "permission denied" : "not a file");
    }

    /** A context that could not be built from readable files: what the TLS provider said about them. */
    public static String unusable(SSLException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return "cannot use the TLS files: " + cause.getMessage();
    }
}
