package io.portcullis.testing;

import io.portcullis.GatewayCompiler;
import io.portcullis.ProxyServer;
import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** A gateway started in-process from YAML text on ephemeral ports (bind {@code port: 0}). */
public final class RunningGateway implements AutoCloseable {
    private final ProxyServer server;

    private RunningGateway(ProxyServer server) {
        this.server = server;
    }

    /**
     * Starts the gateway; {@code env} supplies ${VAR} values. Unless the YAML sets them, the stats server
     * listens on an ephemeral 127.0.0.1 port ({@link #statsPort()}) and the access log is off: surefire sets
     * {@code portcullis.defaultStatsAddr} / {@code portcullis.defaultAccessLog} so that parallel test runs
     * never compete for port 9090.
     */
    public static RunningGateway start(String yaml, Map<String, String> env) throws ConfigException, InterruptedException {
        try {
            return new RunningGateway(
                    ProxyServer.start(GatewayCompiler.compile(ConfigLoader.parse(yaml, "test.yaml", env::get))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunningGateway start(String yaml) throws ConfigException, InterruptedException {
        return start(yaml, Map.of());
    }

    /** The first bind's actual port. */
    public int port() {
        return server.ports().get(0);
    }

    public List<Integer> ports() {
        return server.ports();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The stats server's port ({@code /metrics}); -1 when {@code statsAddr: off}. */
    public int statsPort() {
        return server.statsPort();
    }

    public ProxyServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
