package io.portcullis.cli;

import io.portcullis.cli.tools.KeyTools;
import java.nio.file.Path;

/**
 * Parsed command line: {@code portcullis -f config.yaml [--validate-only]}, {@code --help}, {@code --version}.
 */
public record CliArgs(Path configFile, boolean validateOnly, boolean help, boolean version) {

    public static final String USAGE = String.join("\n",
            "usage: portcullis -f <config.yaml> [--validate-only]",
            "       portcullis schema                             (JSON Schema of the config, for editors)",
            "       portcullis jwks | token | dpop | keygen ...   (seed 002's key tooling, see below)",
            "",
            "  -f, --file <path>   gateway config (binds -> listeners -> routes)",
            "  --validate-only     check the config (syntax, fields, references) and exit 0 / non-zero",
            "  --version           print the version",
            "  -h, --help          this text",
            "",
            "Signals: SIGTERM / SIGINT drain in-flight requests and exit 0.",
            "",
            "Key tooling (PEM keys as openssl writes them):",
            KeyTools.USAGE);

    /** Parses {@code args}; throws IllegalArgumentException with a message fit for the user. */
    public static CliArgs parse(String[] args) {
        Path file = null;
        boolean validate = false;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-f":
                case "--file":
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a file path");
                    }
                    file = Path.of(args[++i]);
                    break;
                case "--validate-only":
                    validate = true;
                    break;
                case "-h":
                case "--help":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                default:
                    if (a.startsWith("--file=")) {
                        file = Path.of(a.substring("--file=".length()));
                    } else {
                        throw new IllegalArgumentException("unknown argument: " + a);
                    }
            }
        }
        if (file == null && !help && !version) {
            throw new IllegalArgumentException("no config file: use -f <config.yaml>");
        }
        return new CliArgs(file, validate, help, version);
    }
}
