package io.portcullis.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads the gateway config file into {@link GatewayConfig}, or fails with every problem found.
 * <pre>
 * GatewayConfig config = ConfigLoader.load(Path.of("config.yaml"));
 * </pre>
 * Steps, each reporting errors with a line (and a YAML path once there is one):
 * <ol>
 *   <li>size bound: at most {@value #MAX_CONFIG_BYTES} bytes, checked before reading further;</li>
 *   <li>{@link EnvExpander environment expansion} of the whole text;</li>
 *   <li>safe YAML ({@code StrictYaml}): one document, no anchors/aliases/custom tags, bounded nesting;</li>
 *   <li>binding ({@code RecordBinder}) onto the records, refusing unknown keys and mistyped values;</li>
 *   <li>validation ({@code ConfigValidator}) of ranges, required keys, conflicts and syntax.</li>
 * </ol>
 * Later steps still run after errors in earlier ones where that stays meaningful (an unset variable
 * does not hide an unknown key), so one run lists everything to fix. Referenced files (none yet) are
 * not checked here.
 */
public final class ConfigLoader {
    /** Configs are hand-written; anything bigger is a mistake or an attack on the parser. */
    public static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

    private ConfigLoader() {}

    /** Reads and parses {@code file}, expanding variables from the process environment. */
    public static GatewayConfig load(Path file) throws ConfigException {
        return load(file, System::getenv);
    }

    /** Reads and parses {@code file}, expanding variables with {@code env} (null when unset). */
    public static GatewayConfig load(Path file, Function<String, String> env) throws ConfigException {
        String source = file.toString();
        return parse(read(file, source), source, env);
    }

    /**
     * Parses config text.
     *
     * @param sourceName what the text came from, for {@link ConfigException#source()}
     * @param env variable lookup for {@code ${VAR}}, returning null when unset
     */
    public static GatewayConfig parse(String yamlText, String sourceName, Function<String, String> env)
            throws ConfigException {
        if (yamlText.length() > MAX_CONFIG_BYTES) {
            throw tooLarge(sourceName);
        }
        ConfigErrors errors = new ConfigErrors();
        String text = yamlText.startsWith("\uFEFF") ? yamlText.substring(1) : yamlText;
        String expanded = EnvExpander.expand(text, env, errors);
        // The limit applies again after expansion: variables must not smuggle in an oversized document.
        Node root = StrictYaml.compose(expanded, MAX_CONFIG_BYTES, errors);
        if (root == null) {
            errors.throwIfAny(sourceName);
        }
        RecordBinder.Bound<GatewayConfig> bound = RecordBinder.bind(root, GatewayConfig.class, errors);
        if (bound.value() != null) {
            ConfigValidator.validate(bound.value(), bound.sources(), errors);
        }
        errors.throwIfAny(sourceName);
        return bound.value();
    }

    /**
     * Parses config file bytes (UTF-8), such as {@link #readBytes} returns; more than the size limit is refused
     * (the bytes may come from a read bounded at one byte over it).
     *
     * @param sourceName what the bytes came from, for {@link ConfigException#source()}
     */
    public static GatewayConfig parse(byte[] bytes, String sourceName, Function<String, String> env)
            throws ConfigException {
        if (bytes.length > MAX_CONFIG_BYTES) {
            throw tooLarge(sourceName);
        }
        return parse(decode(bytes, sourceName), sourceName, env);
    }

    private static String read(Path file, String source) throws ConfigException {
        return decode(readBytes(file, source), source);
    }

    /** The bytes of {@code file}, bounded by the size limit; {@code source} names it in errors. */
    public static byte[] readBytes(Path file, String source) throws ConfigException {
        // readNBytes bounds the read even when the size is unknown in advance (a pipe, /dev/stdin).
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, List.of("cannot read " + source + ": no such file"));
        } catch (IOException e) {
            throw new ConfigException(source, List.of("cannot read " + source + ": " + e.getMessage()));
        }
        if (bytes.length > MAX_CONFIG_BYTES) {
            throw tooLarge(source);
        }
        return bytes;
    }

    private static String decode(byte[] bytes, String source) throws ConfigException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, List.of(source + " is not valid UTF-8"));
        }
    }

    private static ConfigException tooLarge(String source) {
        return new ConfigException(source, List.of("config is larger than " + MAX_CONFIG_BYTES / (1024 * 1024)
                + " MiB (" + MAX_CONFIG_BYTES + " bytes); refusing to parse it"));
    }
}
