package io.portcullis.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.portcullis.config.ListenerTlsConfig;
import io.portcullis.testing.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reload rules, polled by hand instead of by the reloader thread: a change is applied once the files are
 * the same on two polls; files that do not load, or a certificate whose key has not been replaced yet, leave
 * the previous context in place.
 */
class ReloadingSslContextTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void keys() throws Exception {
        pair("one");
        pair("two");
    }

    private static void pair(String name) throws Exception {
        Python.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".pem").toString(),
                "-days", "2", "-subj", "/CN=" + name);
    }

    /** A context serving copies of pair {@code name} in a fresh folder. */
    private static ReloadingSslContext serving(String name, Path files) throws Exception {
        install(name, files);
        return new ReloadingSslContext("test", new ListenerTlsConfig(files.resolve("tls.pem").toString(),
                files.resolve("tls.key").toString(), null, null, null, null));
    }

    private static void install(String name, Path files) throws Exception {
        copy(name + ".pem", files.resolve("tls.pem"));
        copy(name + ".key", files.resolve("tls.key"));
    }

    private static void copy(String from, Path to) throws Exception {
        Files.copy(dir.resolve(from), to, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void changedFilesAreAppliedOnceTheyHaveSettled(@TempDir Path files) throws Exception {
        ReloadingSslContext context = serving("one", files);
        SslContext first = context.current();
        context.poll();
        assertThat(context.current()).isSameAs(first);

        install("two", files);
        context.poll();
        assertThat(context.current()).as("changed since the last poll: wait").isSameAs(first);
        context.poll();
        assertThat(context.current()).isNotSameAs(first);
    }

    @Test
    void filesThatDoNotLoadKeepThePreviousContextUntilFixed(@TempDir Path files) throws Exception {
        ReloadingSslContext context = serving("one", files);
        SslContext first = context.current();

        Files.writeString(files.resolve("tls.pem"), "not a certificate\n");
        context.poll();
        context.poll();
        context.poll();
        assertThat(context.current()).isSameAs(first);

        install("two", files);
        context.poll();
        context.poll();
        assertThat(context.current()).isNotSameAs(first);
    }

    @Test
    void certificateWhoseKeyIsNotReplacedYetIsNotApplied(@TempDir Path files) throws Exception {
        ReloadingSslContext context = serving("one", files);
        SslContext first = context.current();

        copy("two.pem", files.resolve("tls.pem"));
        context.poll();
        context.poll();
        assertThat(context.current()).isSameAs(first);

        copy("two.key", files.resolve("tls.key"));
        context.poll();
        context.poll();
        assertThat(context.current()).isNotSameAs(first);
    }
}
