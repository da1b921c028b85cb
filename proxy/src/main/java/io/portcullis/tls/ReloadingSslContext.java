package io.portcullis.tls;

import io.netty.handler.ssl.SslContext;
import io.portcullis.config.ListenerTlsConfig;
import io.portcullis.observability.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * One listener's server {@link SslContext}, rebuilt when its certificate, key or client CA file changes (a
 * renewed certificate, a rotated Kubernetes secret). Only {@link CertificateReloader}'s thread calls
 * {@link #poll}; event loops only read {@link #current}, once per handshake, so a new context serves new
 * handshakes while established connections keep the engine they have.
 *
 * <p>A change is applied once the files look the same on two polls in a row: a certificate and a key are
 * rarely replaced in one step, and building from a new certificate with the old key would only fail. A set of
 * files that still does not load is logged and the previous context stays in use.
 */
public final class ReloadingSslContext {
    private final String name;
    private final ListenerTlsConfig config;
    private volatile SslContext current;
    // Confined to the reloader thread.
    private List<Object> applied;
    private List<Object> seen;
    private List<Object> failed;

    public ReloadingSslContext(String name, ListenerTlsConfig config) throws SSLException {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.applied = stamp();
        this.seen = applied;
        this.current = ServerTlsCompiler.context(config);
    }

    /** The context for a handshake starting now. */
    public SslContext current() {
        return current;
    }

    /** Checks the files once; rebuilds and swaps the context when they changed and have settled. */
    void poll() {
        List<Object> now = stamp();
        if (now.equals(applied) || now.equals(failed)) {
            seen = now;
            return;
        }
        if (!now.equals(seen)) {
            seen = now; // still changing, or changed since the last poll: look again next time
            return;
        }
        try {
            current = ServerTlsCompiler.context(config);
            applied = now;
            failed = null;
            Log.info("tls " + name + ": reloaded " + config.cert());
        } catch (SSLException | RuntimeException e) {
            failed = now; // warn once per broken version of the files
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            Log.warn("tls " + name + ": cannot reload " + config.cert() + " (keeping the previous certificate): "
                    + cause.getMessage());
        }
    }

    /** Modification time and size of each file; a missing file counts as a change too. */
    private List<Object> stamp() {
        List<Object> stamp = new ArrayList<>();
        for (String file : new String[] {config.cert(), config.key(), config.root()}) {
            if (file == null) {
                continue;
            }
            try {
                BasicFileAttributes a = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
                stamp.add(a.lastModifiedTime());
                stamp.add(a.size());
            } catch (IOException e) {
                stamp.add("missing");
            }
        }
        return stamp;
    }
}
