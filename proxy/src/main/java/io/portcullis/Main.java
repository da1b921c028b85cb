package io.portcullis;

import io.portcullis.cli.Cli;

/** Entry point of the {@code portcullis} binary; all logic lives in {@link Cli}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int status = new Cli(System.out, System.err).run(args);
        System.exit(status);
    }
}
