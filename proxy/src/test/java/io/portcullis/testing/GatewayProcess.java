package io.portcullis.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as a separate JVM process ({@code io.portcullis.Main} on the test classpath), for what only a
 * process shows: exit codes, signals, resident memory.
 */
public final class GatewayProcess implements AutoCloseable {
    /** The launcher's default memory flags (bin/portcullis), so RSS is measured as operators run it. */
    public static final List<String> LAUNCHER_FLAGS = launcherFlags();

    private final Process process;
    private final Path log;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Runs {@code portcullis args...} to completion (bounded) and returns its exit code and output. */
    public static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(List.of(), args)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("portcullis did not exit");
        }
        return new Result(p.exitValue(), new String(out));
    }

    /** Exit code and combined stdout/stderr. */
    public record Result(int exitCode, String output) {}

    /** Starts the gateway on {@code config} and waits (bounded) until {@code port} accepts connections. */
    public static GatewayProcess start(Path config, int port) throws IOException, InterruptedException {
        return start(config, port, Map.of(), List.of());
    }

    /** Like {@link #start(Path, int)} with environment variables and extra JVM flags ({@code -D...}). */
    public static GatewayProcess start(Path config, int port, Map<String, String> env, List<String> jvmFlags)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("portcullis", ".log");
        List<String> flags = new ArrayList<>(LAUNCHER_FLAGS);
        flags.addAll(jvmFlags);
        ProcessBuilder pb = new ProcessBuilder(command(flags, "-f", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        GatewayProcess gp = new GatewayProcess(p, log);
        for (int i = 0; i < 150; i++) {
            if (!p.isAlive()) {
                throw new IOException("gateway exited: " + gp.output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return gp;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        gp.close();
        throw new IOException("gateway did not listen on " + port + ": " + gp.output());
    }

    /** The flags of {@code defaults=( ... )} in bin/portcullis (the ones for every JDK; comments dropped). */
    private static List<String> launcherFlags() {
        try {
            String script = Files.readString(Path.of(System.getProperty("portcullis.repo"), "bin", "portcullis"));
            int start = script.indexOf("\ndefaults=(") + "\ndefaults=(".length();
            List<String> flags = new ArrayList<>();
            for (String line : script.substring(start, script.indexOf("\n)", start)).split("\n")) {
                String code = line.strip();
                if (!code.isEmpty() && !code.startsWith("#")) {
                    flags.addAll(List.of(code.split("\\s+")));
                }
            }
            return List.copyOf(flags);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> command(List<String> jvmFlags, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        // Many gateways run on one machine during tests: keep them off the default stats port 9090.
        cmd.add("-Dportcullis.defaultStatsAddr=127.0.0.1:0");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.portcullis.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    public long pid() {
        return process.pid();
    }

    /** Resident set size in KiB, from /proc. */
    public long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS");
    }

    /** Sends a signal by name ({@code HUP}, {@code TERM}) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -s " + name + " failed");
        }
    }

    /** Waits (bounded) until the output contains {@code text} at least {@code times} times; returns whether it did. */
    public boolean awaitOutput(String text, int times, long millis) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        do {
            String out = output();
            int n = 0;
            for (int i = out.indexOf(text); i >= 0; i = out.indexOf(text, i + text.length())) {
                n++;
            }
            if (n >= times) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        return false;
    }

    /** Sends SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for exit; returns the exit code, or -1 when it did not exit in time. */
    public int waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
