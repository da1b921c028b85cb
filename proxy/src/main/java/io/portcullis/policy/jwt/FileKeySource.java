package io.portcullis.policy.jwt;

import io.portcullis.observability.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A key set from a file, read at load (a bad file fails the load) and re-read off the event loop when its
 * modification time changes, so a rotated JWKS (a mounted ConfigMap or Secret, seed 002 section 4.3)
 * takes effect without a restart. A file that turns bad keeps the last good keys and is logged.
 */
final class FileKeySource implements KeySource {
    static final long POLL_SECONDS = 10;

    private final Path file;
    private volatile KeySet keys;
    private volatile FileTime modified;
    /** The last problem logged, so a file that stays broken (or gone) is reported once, not every poll. */
    private String lastProblem;
    private volatile ScheduledFuture<?> schedule;

    private FileKeySource(Path file, KeySet keys, FileTime modified) {
        this.file = file;
        this.keys = keys;
        this.modified = modified;
    }

    /** Reads and parses the file now (at load, never on an event loop). */
    static FileKeySource load(Path file) throws JwksParser.InvalidJwksException {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            KeySet keys = JwksParser.parse(Files.readString(file, StandardCharsets.UTF_8));
            FileKeySource source = new FileKeySource(file, keys, modified);
            source.schedule =
                    Background.SCHEDULER.scheduleWithFixedDelay(source::poll, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
            return source;
        } catch (IOException e) {
            throw new JwksParser.InvalidJwksException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void poll() {
        try {
            FileTime now = Files.getLastModifiedTime(file);
            if (now.equals(modified)) {
                return;
            }
            modified = now;
            keys = JwksParser.parse(Files.readString(file, StandardCharsets.UTF_8));
            lastProblem = null;
            Log.info("jwks " + file + " reloaded: " + keys.size() + " keys");
        } catch (IOException | JwksParser.InvalidJwksException e) {
            String problem = e instanceof NoSuchFileException ? "no such file" : e.getMessage();
            if (!problem.equals(lastProblem)) {
                lastProblem = problem;
                Log.warn("jwks " + file + " not reloaded, keeping the previous keys: " + problem);
            }
        }
    }

    @Override
    public KeySet current() {
        return keys;
    }

    @Override
    public CompletableFuture<Void> refetch() {
        return null; // re-read on its own schedule; a token must not make the gateway touch the disk
    }

    @Override
    public void close() {
        schedule.cancel(false);
    }

    /** Whether the file is still polled (false once closed). */
    boolean polling() {
        return !schedule.isCancelled();
    }
}
