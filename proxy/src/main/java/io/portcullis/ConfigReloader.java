package io.portcullis;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.GatewayConfig;
import io.portcullis.observability.ConfigDump;
import io.portcullis.observability.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Hot reload: watches the config file and applies a changed one without a restart; {@link #reloadNow()} (SIGHUP)
 * applies it even when unchanged (a referenced file may have changed).
 *
 * <p>What is watched: the directory the file is named in, not the file. An editor or {@code kubectl} replaces
 * files by rename, and a Kubernetes ConfigMap mount makes {@code config.yaml} a symlink to
 * {@code ..data/config.yaml} where {@code ..data} is itself a symlink swapped atomically to a new timestamped
 * directory: the file's own inode and mtime never change, only the directory entry does. So any event in the
 * directory leads to reading the file through its links and comparing the bytes with those last applied; a
 * slow poll ({@code -Dportcullis.config.pollMillis}, default 5 s) covers links into directories the watch does
 * not see. Events are debounced ({@value #SETTLE_MILLIS} ms) so a file being written is read once, whole.
 *
 * <p>How it is applied: read, parsed, validated and compiled on this class's own thread, never an event loop;
 * then {@link ProxyServer#apply} swaps it in (volatile writes the event loops read once per request). Routes
 * that did not change are carried over with their state; background work of the replaced ones is stopped. A
 * file that does not load is logged with every error's YAML path and line and the current config keeps
 * serving.
 */
public final class ConfigReloader implements AutoCloseable {
    static final long SETTLE_MILLIS = 200;
    static final long POLL_MILLIS = Long.getLong("portcullis.config.pollMillis", 5_000);

    private final Path file;
    private final ProxyServer server;
    private final Function<String, String> env;
    private final long pollMillis;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "portcullis-reload"));
    private final List<ReloadListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String configDump;
    private WatchService watcher;
    // Confined to the worker thread.
    private byte[] lastSeen;
    private ScheduledFuture<?> pending;

    /**
     * @param file the config file as given on the command line (not resolved: its links are followed on each read)
     * @param loaded what {@code server} was started with, from {@link #load}
     */
    public ConfigReloader(Path file, ProxyServer server, Loaded loaded, Function<String, String> env) {
        this(file, server, loaded, env, POLL_MILLIS);
    }

    /** {@code pollMillis}: how often the file is read even without a directory event. */
    public ConfigReloader(Path file, ProxyServer server, Loaded loaded, Function<String, String> env, long pollMillis) {
        this.file = file.toAbsolutePath().normalize();
        this.server = server;
        this.env = env;
        this.pollMillis = pollMillis;
        this.configDump = loaded.dump();
        // What the running config was parsed from, not the file as it is now: an edit made while the server
        // started (after the load, before this) is then still seen as a change.
        this.lastSeen = loaded.source();
    }

    /** A loaded config, its redacted JSON form for {@code /config_dump}, and the file bytes it was parsed from. */
    public record Loaded(GatewayConfig config, String dump, byte[] source) {}

    /** Loads {@code file}, remembering the variables it used so that their values stay out of the dump. */
    public static Loaded load(Path file, Function<String, String> env) throws ConfigException {
        return load(file, ConfigLoader.readBytes(file, file.toString()), env);
    }

    /** Parses {@code source}, the bytes of {@code file} as already read, so what is served is what was compared. */
    private static Loaded load(Path file, byte[] source, Function<String, String> env) throws ConfigException {
        Map<String, String> used = new ConcurrentHashMap<>();
        GatewayConfig config = ConfigLoader.parse(source, file.toString(), name -> {
            String value = env.apply(name);
            if (value != null) {
                used.put(name, value);
            }
            return value;
        });
        return new Loaded(config, ConfigDump.json(config, used), source);
    }

    /** Starts watching the file's directory (and the slow poll). */
    public ConfigReloader start() throws IOException {
        Path dir = file.getParent();
        watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        Thread watch = daemon(this::watch, "portcullis-config-watch");
        watch.start();
        worker.scheduleWithFixedDelay(() -> check(false), pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        Log.info("watching " + file + " for changes (SIGHUP reloads too)");
        return this;
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents(); // which entry changed does not matter: the file is compared by content
                worker.execute(this::settleThenCheck);
                if (!key.reset()) {
                    Log.warn("config directory " + file.getParent() + " is gone; only SIGHUP and the poll reload now");
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException | RejectedExecutionException e) {
            // closed
        }
    }

    /** On the worker: (re)starts the settle delay, so a burst of events leads to one read. */
    private void settleThenCheck() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = worker.schedule(() -> check(false), SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Reloads now, whether or not the file changed (SIGHUP). Returns at once; the work runs on the reloader's thread. */
    public void reloadNow() {
        try {
            worker.execute(() -> check(true));
        } catch (RejectedExecutionException stopping) {
            Log.info("not reloading: stopping");
        }
    }

    private void check(boolean force) {
        try {
            byte[] now = readQuietly(file);
            if (now == null) {
                if (force) {
                    Log.warn("config reload: cannot read " + file + "; keeping the current config");
                    fail();
                }
                return; // mid-swap or deleted: the next event or poll looks again
            }
            if (!force && Arrays.equals(now, lastSeen)) {
                return;
            }
            lastSeen = now;
            reload(now);
        } catch (RuntimeException e) { // never let one failure end the schedule
            Log.error("config reload failed, keeping the current config: " + e);
            fail();
        }
    }

    private void reload(byte[] source) {
        Loaded loaded;
        try {
            loaded = load(file, source, env);
        } catch (ConfigException e) {
            StringBuilder message = new StringBuilder("config reload: " + file + " is invalid, keeping the current config:");
            for (String error : e.errors()) {
                message.append("\n  ").append(error);
            }
            Log.error(message.toString());
            fail();
            return;
        }
        CompiledGateway current = server.gateway();
        CompiledGateway next = GatewayCompiler.compile(loaded.config(), current);
        try {
            server.apply(next);
        } catch (RuntimeException e) {
            next.closeReplacedBy(current);
            Log.error("config reload: " + e.getMessage() + "; keeping the current config");
            fail();
            return;
        }
        current.closeReplacedBy(next);
        configDump = loaded.dump();
        long kept = next.routes().values().stream().filter(r -> current.routes().containsValue(r)).count();
        Log.info("config reloaded from " + file + ": " + next.binds().size() + " binds, " + next.routes().size()
                + " routes (" + kept + " unchanged)");
        succeeded.incrementAndGet();
        for (ReloadListener listener : listeners) {
            listener.reloadSucceeded();
        }
    }

    private void fail() {
        failed.incrementAndGet();
        for (ReloadListener listener : listeners) {
            listener.reloadFailed();
        }
    }

    /** The file's bytes through its links (bounded), or null when it cannot be read right now. */
    private static byte[] readQuietly(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(ConfigLoader.MAX_CONFIG_BYTES + 1);
        } catch (IOException e) {
            return null;
        }
    }

    public void addListener(ReloadListener listener) {
        listeners.add(listener);
    }

    /** Reloads applied since start. */
    public long succeeded() {
        return succeeded.get();
    }

    /** Reloads refused since start (the previous config kept serving). */
    public long failed() {
        return failed.get();
    }

    /** The config being served as redacted JSON ({@code /config_dump}). */
    public String configDump() {
        return configDump;
    }

    @Override
    public void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            // nothing to do
        }
        worker.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
