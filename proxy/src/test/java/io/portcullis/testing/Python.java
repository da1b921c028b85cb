package io.portcullis.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system's Python ({@code /usr/bin/python3}, with Debian's python3-jwt and python3-cryptography;
 * bin/run-tests installs them) and openssl, so keys and tokens are made independently of the gateway's code.
 */
public final class Python {
    public static final String PYTHON = "/usr/bin/python3";

    private Python() {}

    /** Runs a command with a time bound; returns stdout; fails with stderr when the exit code is not 0. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException(command + " exited " + p.exitValue() + ": " + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
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
}
