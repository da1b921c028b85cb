package io.portcullis.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.GatewayCompiler;
import io.portcullis.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemd/portcullis.service} checked by systemd's own tools ({@code systemd-analyze verify} and
 * {@code security}, Debian's systemd; bin/run-tests installs it), and its example config and env file loaded
 * by the real config loader.
 */
class SystemdUnitIT {
    private static final Path SYSTEMD = Path.of(System.getProperty("portcullis.repo"), "systemd");
    private static final Path LAUNCHER = Path.of(System.getProperty("portcullis.repo"), "bin", "portcullis");

    @TempDir
    Path dir;

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning() throws Exception {
        Path unit = installedUnit();
        Result r = run("systemd-analyze", "verify", unit.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).isBlank();
    }

    @Test
    void exposureScoreIsAtMostTwo() throws Exception {
        Path unit = installedUnit();
        // --threshold is in tenths: exit status 1 above 2.0
        Result r = run("systemd-analyze", "security", "--offline=yes", "--threshold=20", unit.toString());
        Matcher m = Pattern.compile("Overall exposure level for portcullis.service: (\\d+\\.\\d+)").matcher(r.output());
        assertThat(m.find()).as(r.output()).isTrue();
        System.out.println("systemd-analyze security portcullis.service: exposure " + m.group(1));
        assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(2.0);
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void unitHasTheHardeningAndLifecycleTheIssueAsksFor() throws Exception {
        List<String> lines = Files.readAllLines(SYSTEMD.resolve("portcullis.service"));
        assertThat(lines).contains("ExecStart=/opt/portcullis/bin/portcullis -f /etc/portcullis/config.yaml",
                "ExecReload=/bin/kill -HUP $MAINPID", "EnvironmentFile=-/etc/portcullis/portcullis.env",
                "DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "PrivateDevices=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                "SystemCallFilter=@system-service", "CapabilityBoundingSet=", "AmbientCapabilities=",
                "Restart=on-failure", "LimitNOFILE=65536");
        assertThat(lines).anyMatch(l -> l.matches("MemoryMax=\\d+M"));
        // The example config listens on 8080: no capability is needed, so none is kept.
        assertThat(Files.readString(SYSTEMD.resolve("config.yaml"))).contains("- port: 8080");
    }

    @Test
    void exampleConfigLoadsWithTheExampleEnvironmentFile() throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(SYSTEMD.resolve("portcullis.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        assertThat(env).containsKey("BACKEND_TOKEN");
        String yaml = Files.readString(SYSTEMD.resolve("config.yaml"));
        assertThat(GatewayCompiler.compile(ConfigLoader.parse(yaml, "systemd/config.yaml", env::get)).binds()).hasSize(1);
    }

    /** The unit as installed, with ExecStart pointing at this checkout's launcher (verify checks it exists). */
    private Path installedUnit() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze not installed (apt-get install systemd)");
        String unit = Files.readString(SYSTEMD.resolve("portcullis.service"))
                .replace("ExecStart=/opt/portcullis/bin/portcullis", "ExecStart=" + LAUNCHER);
        return Files.writeString(dir.resolve("portcullis.service"), unit);
    }

    private record Result(int exit, String output) {}

    private Result run(String... command) throws Exception {
        Path log = dir.resolve("out.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": not done in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
