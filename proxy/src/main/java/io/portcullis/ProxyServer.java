package io.portcullis;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portcullis.observability.AccessLog;
import io.portcullis.observability.Log;
import io.portcullis.observability.Metrics;
import io.portcullis.observability.Observability;
import io.portcullis.observability.StatsServer;
import io.portcullis.server.BindContext;
import io.portcullis.server.DrainEvent;
import io.portcullis.server.FrontendInitializer;
import io.portcullis.server.Transport;
import io.portcullis.tls.CertificateReloader;
import io.portcullis.tls.ServerTlsCompiler;
import io.portcullis.upstream.UpstreamConnector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Owns the event loops and the listening sockets: starts one {@link ServerBootstrap} per bind, and stops
 * gracefully (stop accepting, let in-flight exchanges finish up to the deadline, then close the rest).
 */
public final class ProxyServer implements AutoCloseable {
    private final CompiledGateway gateway;
    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final DnsAddressResolverGroup resolver;
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final List<Channel> listening = new ArrayList<>();
    private final List<BindContext> binds = new ArrayList<>();
    private final List<ScheduledFuture<?>> certificateWatches = new ArrayList<>();
    private final Metrics metrics;
    private StatsServer stats;
    private AccessLog accessLog;

    private ProxyServer(CompiledGateway gateway) {
        this.gateway = gateway;
        this.transport = Transport.detect();
        this.acceptors = transport.newGroup(1, "portcullis-accept");
        this.workers = transport.newGroup(gateway.workerThreads(), "portcullis-worker");
        // Names are resolved asynchronously (and cached); a blocking InetAddress lookup would stall the loop.
        this.resolver = new DnsAddressResolverGroup(
                new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannel()));
        this.metrics = new Metrics(gateway.observe().metricsPrefix());
    }

    /**
     * Starts the stats server and the access log, then binds every port of {@code gateway}; on failure
     * everything already started is released. A stats address that cannot be bound fails the start with an
     * {@link IOException} naming {@code config.statsAddr}.
     */
    public static ProxyServer start(CompiledGateway gateway) throws InterruptedException, IOException {
        ProxyServer server = new ProxyServer(gateway);
        try {
            server.startObservability();
            server.bindAll();
            return server;
        } catch (RuntimeException | InterruptedException | IOException e) {
            server.close();
            throw e;
        }
    }

    private void startObservability() throws IOException {
        CompiledGateway.Observe observe = gateway.observe();
        if (observe.statsAddr() != null) {
            stats = StatsServer.start(observe.statsAddr(), metrics);
            Log.info("metrics on http://" + observe.statsAddr().replaceFirst(":0$", ":" + stats.port()) + "/metrics");
        }
        accessLog = AccessLog.open(observe.accessLog(), metrics);
    }

    private void bindAll() throws InterruptedException {
        Observability observability = new Observability(metrics, accessLog);
        UpstreamConnector connector =
                new UpstreamConnector(transport.socketChannel(), resolver, gateway.upstream(), metrics);
        if (gateway.binds().stream().anyMatch(b -> b.tls() != null)) {
            Log.info("TLS is served by " + ServerTlsCompiler.providerName());
        }
        for (CompiledGateway.Bind bind : gateway.binds()) {
            BindContext context = new BindContext(bind.port(), bind.scheme(), bind.listeners(), bind.limits(),
                    bind.tls(), connector, observability);
            int buffer = bind.limits().bufferLimit();
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(buffer / 2, buffer))
                    .childHandler(new FrontendInitializer(context, connections));
            Channel channel = bootstrap.bind(bind.address(), bind.port()).sync().channel();
            listening.add(channel);
            binds.add(context);
            if (bind.tls() != null) {
                certificateWatches.add(CertificateReloader.watch(bind.tls().contexts()));
            }
            Log.info("listening on " + describe(channel) + " (" + bind.scheme() + ", " + transport.name() + ", "
                    + gateway.workerThreads() + " worker threads)");
        }
    }

    private static String describe(Channel channel) {
        InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** The ports actually bound, in bind order (useful with port 0). */
    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (Channel ch : listening) {
            ports.add(((InetSocketAddress) ch.localAddress()).getPort());
        }
        return ports;
    }

    /** The process's metrics (config reloads report to {@link Metrics#reloadSucceeded()} / {@code reloadFailed()}). */
    public Metrics metrics() {
        return metrics;
    }

    /** The port of the stats server ({@code /metrics}), or -1 when {@code statsAddr} is off. */
    public int statsPort() {
        return stats == null ? -1 : stats.port();
    }

    /**
     * Graceful stop: close the listening sockets, tell every connection to finish its current exchange and
     * close, wait until they are gone or {@code deadlineMillis} passed, then close whatever is left.
     */
    public void drain(long deadlineMillis) throws InterruptedException {
        for (BindContext b : binds) {
            b.startDraining();
        }
        for (Channel ch : listening) {
            ch.close().sync();
        }
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!connections.isEmpty()) {
            Log.warn("drain deadline reached: closing " + connections.size() + " connections");
        }
    }

    @Override
    public void close() {
        for (ScheduledFuture<?> watch : certificateWatches) {
            watch.cancel(false);
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (Channel ch : listening) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        resolver.close();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        acceptors.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (stats != null) {
            stats.close();
        }
        if (accessLog != null) {
            accessLog.close(); // after the loops stopped: every line queued is written
        }
    }
}
