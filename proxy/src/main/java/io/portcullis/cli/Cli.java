package io.portcullis.cli;

import io.portcullis.CompiledGateway;
import io.portcullis.GatewayCompiler;
import io.portcullis.ProxyServer;
import io.portcullis.cli.tools.KeyTools;
import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.ConfigSchema;
import io.portcullis.config.GatewayConfig;
import io.portcullis.observability.Log;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** The {@code portcullis} command: validate a config, or run the gateway until SIGTERM / SIGINT. */
public final class Cli {
    /** Exit status for a bad command line or an invalid config. */
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CONFIG = 1;

    private final PrintStream out;
    private final PrintStream err;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String[] args) {
        if (args.length > 0 && KeyTools.COMMANDS.contains(args[0])) {
            return runTool(args);
        }
        if (args.length == 1 && args[0].equals("schema")) {
            out.print(ConfigSchema.generate());
            return 0;
        }
        CliArgs cli;
        try {
            cli = CliArgs.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("portcullis: " + e.getMessage());
            err.println(CliArgs.USAGE);
            return EXIT_USAGE;
        }
        if (cli.help()) {
            out.println(CliArgs.USAGE);
            return 0;
        }
        if (cli.version()) {
            out.println("portcullis " + Version.get());
            return 0;
        }
        GatewayConfig config;
        try {
            config = ConfigLoader.load(cli.configFile());
        } catch (ConfigException e) {
            err.println(cli.configFile() + ": invalid config:");
            for (String error : e.errors()) {
                err.println("  " + error);
            }
            return EXIT_CONFIG;
        }
        CompiledGateway gateway = GatewayCompiler.compile(config);
        if (cli.validateOnly()) {
            out.println(cli.configFile() + ": ok (" + gateway.binds().size() + " binds)");
            return 0;
        }
        return serve(gateway);
    }

    /** {@code jwks}, {@code token}, {@code dpop}, {@code keygen}: 0, 2 for a usage error, 1 for a bad file. */
    private int runTool(String[] args) {
        try {
            new KeyTools(out).run(args);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("portcullis " + e.getMessage());
            err.println(CliArgs.USAGE);
            return EXIT_USAGE;
        } catch (Exception e) { // unreadable file, malformed JWKS to merge, key the JCA refuses
            err.println("portcullis " + args[0] + ": " + e.getMessage());
            return EXIT_CONFIG;
        }
    }

    private int serve(CompiledGateway gateway) {
        ProxyServer server;
        try {
            server = ProxyServer.start(gateway);
        } catch (Exception e) {
            err.println("portcullis: cannot start: " + e.getMessage());
            return EXIT_CONFIG;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("HUP"), s -> Log.warn("SIGHUP: config reload is not implemented yet; ignored"));
        Log.info("portcullis " + Version.get() + " started");
        try {
            stop.await();
            Log.info("stopping: draining connections (deadline " + gateway.terminationDeadlineMillis() + " ms)");
            server.drain(gateway.terminationDeadlineMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
        }
        Log.info("stopped");
        Log.flush();
        return 0;
    }
}
