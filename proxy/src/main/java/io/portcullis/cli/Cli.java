package io.portcullis.cli;

import io.portcullis.CompiledGateway;
import io.portcullis.GatewayCompiler;
import io.portcullis.ProxyServer;
import io.portcullis.cli.tools.KeyTools;
import io.portcullis.ConfigReloader;
import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigSchema;
import io.portcullis.observability.AdminServer;
import io.portcullis.observability.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;

/** The {@code portcullis} command: validate a config, or run the gateway (reloading on change or SIGHUP) until SIGTERM / SIGINT. */
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
        ConfigReloader.Loaded loaded;
        try {
            loaded = ConfigReloader.load(cli.configFile(), System::getenv);
        } catch (ConfigException e) {
            err.println(cli.configFile() + ": invalid config:");
            for (String error : e.errors()) {
                err.println("  " + error);
            }
            return EXIT_CONFIG;
        }
        CompiledGateway gateway = GatewayCompiler.compile(loaded.config());
        if (cli.validateOnly()) {
            gateway.close();
            out.println(cli.configFile() + ": ok (" + gateway.binds().size() + " binds)");
            return 0;
        }
        return serve(cli.configFile(), loaded, gateway);
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

    /**
     * Runs until SIGTERM / SIGINT: the traffic ports, the readiness and admin endpoints, the config reloader
     * (file watch and SIGHUP); then drains (readiness answers 503 from the signal on) and exits 0.
     */
    private int serve(Path file, ConfigReloader.Loaded loaded, CompiledGateway gateway) {
        ProxyServer server;
        try {
            server = ProxyServer.start(gateway);
        } catch (Exception e) {
            gateway.close();
            err.println("portcullis: cannot start: " + e.getMessage());
            return EXIT_CONFIG;
        }
        AtomicBoolean draining = new AtomicBoolean();
        BooleanSupplier ready = () -> !draining.get();
        List<AutoCloseable> sideServers = new ArrayList<>();
        ConfigReloader reloader = new ConfigReloader(file, server, loaded, System::getenv);
        reloader.addListener(server.metrics()); // config_reloads_total / config_reload_failures_total
        try {
            sideServers.add(side("readiness", gateway.readinessAddr(), a -> AdminServer.readiness(a, ready)));
            sideServers.add(side("admin", gateway.adminAddr(), a -> AdminServer.admin(a, ready, reloader::configDump)));
            reloader.start();
        } catch (IOException e) {
            err.println("portcullis: cannot start: " + e.getMessage());
            closeAll(sideServers);
            reloader.close();
            server.close();
            return EXIT_CONFIG;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("HUP"), s -> {
            Log.info("SIGHUP: reloading " + file);
            reloader.reloadNow();
        });
        Log.info("portcullis " + Version.get() + " started");
        try {
            stop.await();
            draining.set(true);
            reloader.close();
            CompiledGateway current = server.gateway();
            Log.info("stopping: draining connections (deadline " + current.terminationDeadlineMillis() + " ms)");
            server.drain(current.terminationDeadlineMillis(), current.minTerminationDeadlineMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reloader.close();
            server.close();
            closeAll(sideServers);
        }
        Log.info("stopped");
        Log.flush();
        return 0;
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                Log.warn("while stopping: " + e);
            }
        }
    }

    private interface SideStarter {
        AdminServer start(InetSocketAddress address) throws IOException;
    }

    /**
     * Starts a side server, or returns a no-op when it is {@code off}. An address from the file must be bound
     * (an exception ends the start); a default one that is taken (another gateway on this host) is skipped with
     * a warning.
     */
    private static AutoCloseable side(String name, CompiledGateway.SideAddress address, SideStarter starter)
            throws IOException {
        if (address == null) {
            return () -> { };
        }
        InetSocketAddress socket = new InetSocketAddress(address.address().host(), address.address().port());
        if (name.equals("admin") && !socket.getAddress().isLoopbackAddress()) {
            Log.warn("admin endpoint on " + address.address() + " is reachable from other hosts (it shows the config)");
        }
        try {
            return starter.start(socket);
        } catch (IOException e) {
            if (address.explicit()) {
                throw new IOException("config." + name + "Addr " + address.address().host() + ":"
                        + address.address().port() + ": " + e.getMessage(), e);
            }
            Log.warn("no " + name + " endpoint: default address " + address.address().host() + ":"
                    + address.address().port() + " is not available (" + e.getMessage() + "); set config." + name
                    + "Addr to choose one, or off");
            return () -> { };
        }
    }
}
