package io.portcullis.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A port that was free a moment ago on 127.0.0.1, for gateways started as processes. */
public final class FreePort {
    private FreePort() {}

    public static int find() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
