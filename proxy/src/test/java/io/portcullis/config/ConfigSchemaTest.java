package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code portcullis schema} against real files: every example config ({@code config/}, {@code bench/config/})
 * and the valid test fixtures validate with a JSON Schema validator (networknt, draft 2020-12), and files
 * the binder refuses for their shape (unknown key, wrong type, bad duration) are refused by the schema too.
 */
class ConfigSchemaTest {
    static final Path REPO = Path.of(System.getProperty("portcullis.repo", ".."));
    static JsonSchema schema;

    @BeforeAll
    static void load() {
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(ConfigSchema.generate());
    }

    static Stream<Path> examples() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(REPO.resolve("config"), REPO.resolve("bench/config"),
                REPO.resolve("proxy/src/test/resources/config"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(7);
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleConfigsValidate(Path file) throws Exception {
        Set<ValidationMessage> errors = schema.validate(Files.readString(file), InputFormat.YAML);
        assertThat(errors).as(file.toString()).isEmpty();
    }

    @Test
    void shapesTheBinderRefusesAreRefused() {
        assertThat(validate("binds: [{port: 8080, listeners: [{routez: []}]}]")).anyMatch(m -> m.contains("routez"));
        assertThat(validate("binds: [{port: \"8080\"}]")).isNotEmpty();
        assertThat(validate("config: {connectionTerminationDeadline: 30}")).isNotEmpty();
        assertThat(validate("config: {connectionTerminationDeadline: 1m30s, workerThreads: 2}")).isEmpty();
        assertThat(validate("frontendPolicies: {http: {maxHeaderSize: 32Ki, maxBufferSize: 65536}}")).isEmpty();
        assertThat(validate("frontendPolicies: {http: {maxHeaderSize: 32KB}}")).isNotEmpty();
        assertThat(validate("config: {logging: {accessLog: off, format: json}, metrics: {prefix: agentgateway}}")).isEmpty();
        assertThat(validate("binds: [{port: 80, listeners: [{protocol: TCP}]}]")).isNotEmpty();
    }

    @Test
    void schemaCommandPrintsIt() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int status = new io.portcullis.cli.Cli(new java.io.PrintStream(out), System.err).run(new String[] {"schema"});
        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo(ConfigSchema.generate())
                .contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\"");
    }

    private static List<String> validate(String yaml) {
        return schema.validate(yaml, InputFormat.YAML).stream().map(ValidationMessage::getMessage).toList();
    }
}
