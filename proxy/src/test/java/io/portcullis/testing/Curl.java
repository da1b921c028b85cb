package io.portcullis.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real curl binary against 127.0.0.1 (bounded by --max-time) and captures status and body. */
public final class Curl {
    /** What curl printed: the status code (from -w) and the body. */
    public record Result(int status, String body, String stderr) {}

    private Curl() {}

    public static Result run(String... args) throws IOException, InterruptedException {
        return within(20, args);
    }

    /** Like {@link #run} with curl's whole transfer bounded to {@code seconds}. */
    public static Result within(int seconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", Integer.toString(seconds),
                "-o", "-", "-w", "\n%{http_code}"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        int nl = text.lastIndexOf('\n');
        int status = Integer.parseInt(text.substring(nl + 1).trim());
        return new Result(status, text.substring(0, nl), new String(err, StandardCharsets.UTF_8));
    }
}
