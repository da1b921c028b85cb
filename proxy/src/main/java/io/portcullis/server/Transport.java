package io.portcullis.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.observability.Log;
import java.util.function.Supplier;

/**
 * The I/O transport, the same for server, client and DNS channels: native io_uring or epoll on Linux, NIO
 * elsewhere (see {@link #detect()}).
 */
public enum Transport {
    EPOLL("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class,
            EpollDatagramChannel.class),
    IO_URING("io_uring", IoUringIoHandler::newFactory, IoUringServerSocketChannel.class, IoUringSocketChannel.class,
            IoUringDatagramChannel.class),
    NIO("nio", NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class,
            NioDatagramChannel.class);

    private final String label;
    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;
    private final Class<? extends DatagramChannel> datagramChannel;

    Transport(String label, Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> serverChannel,
              Class<? extends SocketChannel> socketChannel, Class<? extends DatagramChannel> datagramChannel) {
        this.label = label;
        this.handlers = handlers;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
        this.datagramChannel = datagramChannel;
    }

    /**
     * From {@code -Dportcullis.transport}: {@code auto} (default) takes io_uring when the kernel allows it, else
     * epoll, else NIO; {@code io_uring}, {@code epoll} or {@code nio} ask for one (falling back the same way).
     * io_uring won on loopback here (~20% less kernel time per proxied request, bench/README); seccomp
     * profiles that forbid it (Docker's and containerd's defaults, the systemd unit) make it unavailable, and
     * then epoll is used.
     */
    public static Transport detect() {
        String wanted = System.getProperty("portcullis.transport", "auto").toLowerCase(java.util.Locale.ROOT);
        if (wanted.equals("auto") || wanted.equals("io_uring")) {
            if (IoUring.isAvailable()) {
                return IO_URING;
            }
            String why = "io_uring is not available (" + IoUring.unavailabilityCause() + ")";
            if (wanted.equals("io_uring")) {
                Log.warn(why + "; using epoll");
            } else {
                Log.info(why + "; using epoll");
            }
        }
        return !wanted.equals("nio") && Epoll.isAvailable() ? EPOLL : NIO;
    }

    // The name() of an enum is final; label() is what the logs print.
    public String label() {
        return label;
    }

    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), handlers.get());
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return datagramChannel;
    }
}
