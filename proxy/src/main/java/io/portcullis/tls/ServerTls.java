package io.portcullis.tls;

import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.portcullis.routing.HostnameMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The TLS side of an HTTPS bind: picks a listener's certificate by the SNI name of each handshake, with the
 * listeners' own {@code hostname} rules (exact names first, then {@code *.suffix} wildcards, as routing does).
 * A client that sends no SNI, or a name no listener claims, gets the listener without hostname, or the first
 * listener when every listener has one. Which routes serve the request is decided afterwards from its Host, as
 * on plain HTTP. Immutable and shared by all event loops; the contexts it hands out may be swapped by the
 * reloader between handshakes.
 */
public final class ServerTls implements Mapping<String, SslContext> {
    /** Time allowed from accept to a finished handshake (ClientHello included) before the connection closes. */
    public static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** A listener's hostname rule and its certificate. */
    public record Entry(HostnameMatcher hostname, ReloadingSslContext context) {}

    private final Entry[] ordered;
    private final ReloadingSslContext fallback;
    private final List<ReloadingSslContext> contexts;

    /** {@code entries} in config order (the first is the fallback when no listener matches any host). */
    public ServerTls(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("entries: empty (expected: at least one HTTPS listener)");
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(ServerTls::rank));
        this.ordered = sorted.toArray(new Entry[0]);
        Entry last = ordered[ordered.length - 1];
        this.fallback = last.hostname().matchesAny() ? last.context() : entries.get(0).context();
        List<ReloadingSslContext> all = new ArrayList<>();
        for (Entry e : entries) {
            all.add(e.context());
        }
        this.contexts = List.copyOf(all);
    }

    private static int rank(Entry e) {
        if (e.hostname().matchesAny()) {
            return 2;
        }
        return e.hostname().isExactOnly() ? 0 : 1;
    }

    /** Called by {@link SniHandler} on the event loop once per handshake; {@code sni} is null without SNI. */
    @Override
    public SslContext map(String sni) {
        if (sni != null) {
            String host = sni.toLowerCase(Locale.ROOT);
            for (Entry e : ordered) {
                if (!e.hostname().matchesAny() && e.hostname().matches(host)) {
                    return e.context().current();
                }
            }
        }
        return fallback.current();
    }

    /** The first handler of a connection: waits for the ClientHello, then becomes the chosen SslHandler. */
    public SniHandler newHandler() {
        return new SniHandler(this, HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** Every listener's context, for the reloader. */
    public List<ReloadingSslContext> contexts() {
        return contexts;
    }
}
