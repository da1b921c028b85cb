package io.portcullis.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Sends raw bytes to 127.0.0.1 and reads what comes back, for protocol edge cases no client library sends. */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;

    public RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(5000);
    }

    public RawHttp send(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads until the peer closes, the timeout passes, or {@code maxBytes} arrived. */
    public String readAll(int timeoutMillis, int maxBytes) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while (buf.size() < maxBytes && (n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // return what arrived
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until the connection closes (or 5 s). */
    public String readUntilClose() throws IOException {
        return readAll(5000, 1 << 20);
    }

    /** True when the peer closed the connection within the timeout. */
    public boolean closedWithin(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            while (true) {
                int n = in.read(chunk);
                if (n < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset counts as closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
