package io.portcullis.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testing.FreePort;
import io.portcullis.testing.GatewayProcess;
import io.portcullis.testing.TestBackend;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies stream through the gateway (a separate JVM with the launcher's memory flags): server-sent events
 * arrive one by one, and 200 MiB each way pass with the gateway's resident memory growing by less than
 * 64 MiB, which only holds if nothing is buffered whole: to an HTTP/1.1 backend, and to an HTTP/2 backend
 * (under {@code /h2}), where HTTP/2 flow control must hold the backend back.
 */
class StreamingIT {
    static final long SIZE = 200L * 1024 * 1024;
    static TestBackend backend;
    static TestBackend h2Backend;
    static GatewayProcess gateway;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend();
        h2Backend = TestBackend.http2(null, 0);
        port = FreePort.find();
        Path config = Files.createTempFile("streaming", ".yaml");
        Files.writeString(config, """
                config:
                  workerThreads: 1
                binds:
                - port: %d
                  address: 127.0.0.1
                  listeners:
                  - routes:
                    - name: h2-streams
                      matches: [{path: {pathPrefix: /h2}}]
                      policies:
                        maxRequestBodySize: 300Mi
                        urlRewrite: {path: {prefix: /}}
                      backends:
                      - host: %s
                        policies: {http: {version: HTTP/2.0}}
                    - name: streams
                      policies:
                        maxRequestBodySize: 300Mi
                      backends:
                      - host: %s
                """.formatted(port, h2Backend.hostPort(), backend.hostPort()));
        gateway = GatewayProcess.start(config, port);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.close();
        h2Backend.close();
    }

    @Test
    void serverSentEventsReachTheClientOneByOne() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            out.write("GET /sse?gap=2000 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder seen = new StringBuilder();
            long firstAt = -1;
            byte[] buf = new byte[4096];
            while (!seen.toString().contains("data: second")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                seen.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                if (firstAt < 0 && seen.toString().contains("data: first")) {
                    firstAt = System.nanoTime();
                }
            }
            long secondAt = System.nanoTime();
            assertThat(seen.toString()).contains("text/event-stream").contains("data: first").contains("data: second");
            // The backend sends the second event 2 s after the first: the first must not wait for it.
            assertThat((firstAt - start) / 1_000_000).isLessThan(1500);
            assertThat((secondAt - firstAt) / 1_000_000).isGreaterThan(1500);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/h2"})
    void largeDownloadStreamsWithBoundedMemory(String backendPrefix) throws Exception {
        warmUp();
        long before = gateway.rssKib();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = sampleRss(peak);
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "60", "-o", "/dev/null", "-w", "%{size_download}",
                "http://127.0.0.1:" + port + backendPrefix + "/download?size=" + SIZE).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        curl.waitFor();
        sampler.interrupt();
        sampler.join();
        assertThat(out.trim()).isEqualTo(Long.toString(SIZE));
        System.out.printf("StreamingIT: 200 MiB download%s, gateway RSS %d -> peak %d KiB%n", backendPrefix, before, peak.get());
        assertThat((peak.get() - before) / 1024).as("RSS growth in MiB").isLessThan(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/h2"})
    void largeChunkedUploadStreamsWithBoundedMemory(String backendPrefix) throws Exception {
        warmUp();
        long before = gateway.rssKib();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = sampleRss(peak);
        Process curl = new ProcessBuilder("sh", "-c",
                "head -c " + SIZE + " /dev/zero | curl -sS --max-time 60 -T - http://127.0.0.1:" + port + backendPrefix + "/upload")
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        curl.waitFor();
        sampler.interrupt();
        sampler.join();
        assertThat(out).contains("received=" + SIZE);
        System.out.printf("StreamingIT: 200 MiB upload%s, gateway RSS %d -> peak %d KiB%n", backendPrefix, before, peak.get());
        assertThat((peak.get() - before) / 1024).as("RSS growth in MiB").isLessThan(64);
    }

    private static void warmUp() throws Exception {
        for (int i = 0; i < 20; i++) {
            new ProcessBuilder("curl", "-sS", "--max-time", "20", "-o", "/dev/null",
                    "http://127.0.0.1:" + port + "/download?size=1048576").start().waitFor();
        }
    }

    private static Thread sampleRss(AtomicLong peak) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(gateway.rssKib(), Math::max);
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                // interrupted or process gone: stop sampling
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
