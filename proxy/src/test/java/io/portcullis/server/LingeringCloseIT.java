package io.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.RawHttp;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A client that is still sending when the gateway refuses its request must still read the refusal: the
 * gateway half-closes and drains instead of closing at once (which would make the kernel reset the
 * connection and could destroy the reply in flight).
 */
class LingeringCloseIT {

    private static String exchange(int port, String request) throws IOException {
        try (RawHttp raw = new RawHttp(port)) {
            try {
                raw.send(request);
            } catch (IOException e) {
                // the gateway may stop reading before everything was written: what matters is the reply
            }
            return raw.readAll(5_000, 1 << 16);
        }
    }

    @Test
    void oversizedHeadersSentInOneWriteStillGet431() throws Exception {
        try (TestBackend backend = new TestBackend();
             RunningGateway gw = RunningGateway.start("binds:\n- port: 0\n  listeners:\n  - routes:\n"
                     + "    - backends:\n      - host: " + backend.hostPort() + "\n")) {
            String request = "GET /json HTTP/1.1\r\nHost: gw\r\nX-Big: " + "a".repeat(200 * 1024) + "\r\n\r\n";
            for (int i = 0; i < 10; i++) {
                assertThat(exchange(gw.port(), request)).as("attempt " + i).startsWith("HTTP/1.1 431 ");
            }
        }
    }

    @Test
    void largeBodyBeyondTheLimitStillGets413() throws Exception {
        try (TestBackend backend = new TestBackend();
             RunningGateway gw = RunningGateway.start("binds:\n- port: 0\n  listeners:\n  - routes:\n"
                     + "    - policies: {maxRequestBodySize: 1Ki}\n      backends:\n      - host: " + backend.hostPort() + "\n")) {
            String body = "b".repeat(512 * 1024);
            String request = "POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            for (int i = 0; i < 5; i++) {
                assertThat(exchange(gw.port(), request)).as("attempt " + i).startsWith("HTTP/1.1 413 ");
            }
        }
    }
}
