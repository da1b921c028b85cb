package io.portcullis;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Owns the event loops and the listening sockets: starts one {@link ServerBootstrap} per bind, switches to a
 * reloaded config ({@link #apply}), and stops gracefully (stop accepting, let in-flight exchanges finish up to
 * the deadline, then close the rest).
 *
 * <p>Threads: {@link #start}, {@link #apply}, {@link #drain} and {@link #close} run on the starting thread or
 * the reloader's thread (never an event loop, since binding and waiting block) and are serialized on
 * {@code this}. Event loops only read the volatile state of each {@link BindContext}.
 */
public final class ProxyServer implements AutoCloseable {
    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final int workerThreads;
    private final DnsAddressResolverGroup resolver;
    /** By {@link CompiledGateway.Bind#key()}, in the order of the current config. Guarded by {@code this}. */
    private final Map<String, RunningBind> binds = new LinkedHashMap<>();
    private volatile CompiledGateway gateway;
    private UpstreamConnector connector;
    /** Every open upstream connection, whichever connector (config generation) opened it. */
    private final ChannelGroup upstreamConnections = new DefaultChannelGroup("upstream", GlobalEventExecutor.INSTANCE);
    /** Process-wide, across reloads: counters never restart, and the stats port and log sink stay. */
    private final Metrics metrics;
    private Observability observability;
    private StatsServer stats;
    private AccessLog accessLog;

    /** One open listening socket, its connections, and the certificate watch of an HTTPS bind. */
    private static final class RunningBind {
        final BindContext context;
        final Channel channel;
        final ChannelGroup connections;
        ScheduledFuture<?> certificateWatch;

        RunningBind(BindContext context, Channel channel, ChannelGroup connections) {
            this.context = context;
            this.channel = channel;
            this.connections = connections;
        }

        void watchCertificates(CompiledGateway.Bind bind) {
            if (certificateWatch != null) {
                certificateWatch.cancel(false);
            }
            certificateWatch = bind.tls() == null ? null : CertificateReloader.watch(bind.tls().contexts());
        }
    }

    private ProxyServer(CompiledGateway gateway) {
        this.gateway = gateway;
        this.transport = Transport.detect();
        this.workerThreads = gateway.workerThreads();
        this.acceptors = transport.newGroup(1, "portcullis-accept");
        this.workers = transport.newGroup(workerThreads, "portcullis-worker");
        // Names are resolved asynchronously (and cached); a blocking InetAddress lookup would stall the loop.
        this.resolver = new DnsAddressResolverGroup(
                new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannel()));
        this.metrics = new Metrics(gateway.observe().metricsPrefix());
        this.connector = new UpstreamConnector(transport.socketChannel(), resolver, gateway.upstream(), metrics,
                upstreamConnections);
        this.observability = new Observability(metrics, null);
    }

    /**
     * Starts the stats server and the access log, then binds every port of {@code gateway}; on failure
     * everything already started is released. A stats address that cannot be bound fails the start with an
     * {@link IOException} naming {@code config.statsAddr}.
     */
    public static ProxyServer start(CompiledGateway gateway) throws InterruptedException, IOException {
        ProxyServer server = new ProxyServer(gateway);
        try {
            synchronized (server) {
                server.startObservability();
                logTlsProvider(gateway);
                for (CompiledGateway.Bind bind : gateway.binds()) {
                    server.binds.put(bind.key(), server.open(bind));
                }
            }
            return server;
        } catch (RuntimeException | IOException e) {
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
        observability = new Observability(metrics, accessLog);
    }

    private static void logTlsProvider(CompiledGateway gateway) {
        if (gateway.binds().stream().anyMatch(b -> b.tls() != null)) {
            Log.info("TLS is served by " + ServerTlsCompiler.providerName());
        }
    }

    private BindContext.Settings settings(CompiledGateway.Bind bind) {
        return new BindContext.Settings(bind.scheme(), bind.limits(), bind.tls(), connector);
    }

    /** Opens the socket of {@code bind}; throws {@link IllegalStateException} naming it when that fails. */
    private RunningBind open(CompiledGateway.Bind bind) {
        BindContext context = new BindContext(bind.port(), bind.listeners(), settings(bind), observability);
        ChannelGroup connections = new DefaultChannelGroup("connections " + bind.key(), GlobalEventExecutor.INSTANCE);
        int buffer = bind.limits().bufferLimit();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(buffer / 2, buffer))
                .childHandler(new FrontendInitializer(context, connections));
        ChannelFuture bound = bootstrap.bind(bind.address(), bind.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + bind.address() + ":" + bind.port() + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        RunningBind running = new RunningBind(context, bound.channel(), connections);
        running.watchCertificates(bind);
        Log.info("listening on " + describe(running.channel) + " (" + bind.scheme() + ", " + transport.label() + ", "
                + workerThreads + " worker threads)");
        return running;
    }

    private static String describe(Channel channel) {
        InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** The config being served. */
    public CompiledGateway gateway() {
        return gateway;
    }

    /**
     * Switches to {@code next}: opens the ports it adds (if one cannot be opened, the ones just opened are
     * closed again and this throws, leaving the current config in place), then gives the binds it keeps their
     * new routes and settings, then stops accepting on the ports it removed and lets their connections finish
     * what they are doing. Requests already routed finish on the old routes. Upstream pools live in the event
     * loops, keyed by backend target, so connections to backends that did not change are reused.
     * The caller closes the replaced routes' background work ({@link CompiledGateway#closeReplacedBy}).
     */
    public synchronized void apply(CompiledGateway next) {
        CompiledGateway current = gateway;
        if (next.workerThreads() != workerThreads) {
            Log.warn("config.workerThreads changed to " + next.workerThreads() + ": takes effect after a restart");
        }
        if (!Objects.equals(next.adminAddr(), current.adminAddr())
                || !Objects.equals(next.readinessAddr(), current.readinessAddr())) {
            Log.warn("config.adminAddr / readinessAddr changed: takes effect after a restart");
        }
        if (!next.observe().equals(current.observe())) {
            Log.warn("config.statsAddr / metrics / logging.accessLog changed: takes effect after a restart");
        }
        if (!next.upstream().equals(current.upstream())) {
            connector = new UpstreamConnector(transport.socketChannel(), resolver, next.upstream(), metrics,
                    upstreamConnections);
        }
        Map<String, RunningBind> opened = new LinkedHashMap<>();
        try {
            for (CompiledGateway.Bind bind : next.binds()) {
                if (!binds.containsKey(bind.key())) {
                    opened.put(bind.key(), open(bind));
                }
            }
        } catch (RuntimeException e) {
            for (RunningBind undo : opened.values()) {
                stop(undo);
            }
            throw e;
        }
        logTlsProvider(next);
        Map<String, RunningBind> removed = new LinkedHashMap<>(binds);
        binds.clear();
        for (CompiledGateway.Bind bind : next.binds()) {
            RunningBind running = removed.remove(bind.key());
            if (running == null) {
                running = opened.get(bind.key());
            } else {
                running.context.update(bind.listeners(), settings(bind));
                running.watchCertificates(bind);
            }
            binds.put(bind.key(), running);
        }
        for (RunningBind gone : removed.values()) {
            Log.info("no longer listening on " + describe(gone.channel) + " (removed from the config)");
            stop(gone);
        }
        gateway = next;
    }

    /** Closes the socket and drains the connections of a bind that is no longer configured. */
    private static void stop(RunningBind bind) {
        if (bind.certificateWatch != null) {
            bind.certificateWatch.cancel(false);
        }
        bind.context.startDraining();
        bind.channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        sendDrain(bind.connections);
    }

    private static void sendDrain(ChannelGroup connections) {
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
        }
    }

    /** The process's metrics (the reloader reports to {@link Metrics#reloadSucceeded()} / {@code reloadFailed()}). */
    public Metrics metrics() {
        return metrics;
    }

    /** The port of the stats server ({@code /metrics}), or -1 when {@code statsAddr} is off. */
    public int statsPort() {
        return stats == null ? -1 : stats.port();
    }

    /** The ports actually bound, in bind order (useful with port 0). */
    public synchronized List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (RunningBind bind : binds.values()) {
            ports.add(((InetSocketAddress) bind.channel.localAddress()).getPort());
        }
        return ports;
    }

    /** Graceful stop with no minimum accepting time (see {@link #drain(long, long)}). */
    public void drain(long deadlineMillis) throws InterruptedException {
        drain(deadlineMillis, 0);
    }

    /**
     * Graceful stop: from now on every response carries {@code Connection: close} (HTTP/2: GOAWAY) and idle
     * connections close; new connections are still accepted for {@code minMillis} (agentgateway's
     * {@code connectionMinTerminationDeadline}, for load balancers that keep sending until they notice the
     * readiness probe failing), then the listening sockets close. Returns when every connection is gone or
     * {@code deadlineMillis} after the call, whichever comes first.
     */
    public synchronized void drain(long deadlineMillis, long minMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        for (RunningBind b : binds.values()) {
            b.context.startDraining();
            sendDrain(b.connections);
        }
        if (minMillis > 0) {
            Thread.sleep(Math.min(minMillis, deadlineMillis));
        }
        for (RunningBind b : binds.values()) {
            b.channel.close().sync();
            sendDrain(b.connections); // those accepted meanwhile
        }
        while (openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (openConnections() > 0) {
            Log.warn("drain deadline reached: closing " + openConnections() + " connections");
        }
    }

    private int openConnections() {
        int n = 0;
        for (RunningBind b : binds.values()) {
            n += b.connections.size();
        }
        return n;
    }

    @Override
    public synchronized void close() {
        for (RunningBind b : binds.values()) {
            if (b.certificateWatch != null) {
                b.certificateWatch.cancel(false);
            }
            b.connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            b.channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        // Closed while the loops still run, so that each connection's pending read is cancelled and its buffer
        // freed. Left to the loops' shutdown (io_uring waits 200 ms for outstanding reads, then closes the
        // ring), a read buffer was sometimes never released: the leak detector caught it in 2 of 7 runs of
        // the forwarding tests, and in none of 7 with this.
        upstreamConnections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        gateway.close();
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
