package io.portcullis.testing;

import io.portcullis.GatewayCompiler;
import io.portcullis.ProxyServer;
import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import java.util.List;
import java.util.Map;

/** A gateway started in-process from YAML text on ephemeral ports (bind {@code port: 0}). */
public final class RunningGateway implements AutoCloseable {
    private final ProxyServer server;

    private RunningGateway(ProxyServer server) {
        this.server = server;
    }

    /** Starts the gateway; {@code env} supplies ${VAR} values. */
    public static RunningGateway start(String yaml, Map<String, String> env) throws ConfigException, InterruptedException {
        return new RunningGateway(ProxyServer.start(GatewayCompiler.compile(ConfigLoader.parse(yaml, "test.yaml", env::get))));
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

    public ProxyServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
