package io.portcullis.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test CA and a server certificate it signed for {@code localhost} and {@code 127.0.0.1}, made with openssl in
 * {@code dir}: {@code ca.pem}, {@code server.pem}, {@code server.key}.
 */
public record TestCa(Path ca, Path cert, Path key) {
    public static TestCa create(Path dir) throws IOException, InterruptedException {
        Python.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("ca.key").toString(),
                "-out", dir.resolve("ca.pem").toString(), "-days", "2", "-subj", "/CN=test-ca");
        Path ext = Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Python.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("server.key").toString(),
                "-out", dir.resolve("server.csr").toString(), "-subj", "/CN=localhost");
        Python.openssl("x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", dir.resolve("ca.pem").toString(),
                "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-out", dir.resolve("server.pem").toString(), "-extfile", ext.toString());
        return new TestCa(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"));
    }
}
