package io.portcullis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system's Python ({@code /usr/bin/python3}, with Debian's python3-jwt and python3-cryptography;
 * bin/run-tests installs them) and openssl, so keys and tokens are made independently of the gateway's code.
 * Every process is bounded in time.
 */
public final class Python {
    /** Debian's python, which has the {@code jwt} and {@code cryptography} modules (the one on PATH may not). */
    public static final String PYTHON = "/usr/bin/python3";
    private static final int TIMEOUT_SECONDS = 60;

    private Python() {}

    /** Runs a command with a time bound; returns stdout; fails with stderr when the exit code is not 0. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        return run(null, command);
    }

    /**
     * Like {@link #run(List)}, writing {@code stdin} (when not null) to the process. Both output streams are
     * read while it runs, so a chatty stderr cannot fill its pipe and stall the process.
     */
    public static String run(String stdin, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": did not finish in " + TIMEOUT_SECONDS + "s");
        }
        String stdout = new String(out.join(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + new String(err.join(), StandardCharsets.UTF_8));
        }
        return stdout;
    }

    /** Runs {@code openssl} with {@code args}; returns its stdout. */
    public static String openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        return run(command);
    }

    public static String script(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The test resources folder {@code name} (scripts run from the source tree, not the classpath copy). */
    public static Path resources(String name) {
        return Path.of(System.getProperty("portcullis.repo"), "proxy/src/test/resources", name);
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return s.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }
}
