package io.portcullis.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Binds a YAML node tree onto the config records by reflection: a mapping becomes a record whose
 * component names are the keys, so the records stay plain mirrors of the file with no annotations.
 * Supported component types: records, {@code List<T>}, {@code Map<String, String>} and the leaves of
 * {@link Scalars}. Absent keys and YAML nulls bind to null.
 *
 * <p>{@link ConfigSchema} describes the same mapping as a JSON Schema, through the same helpers
 * ({@link #rawClass}, {@link #typeArgument}, {@link #scalarFactory}) and in the same order of cases as
 * {@code bindValue}, so the published schema follows the records.
 *
 * <p>Binding never stops at the first problem: a bad value is reported and left null (list entries keep
 * their index), and binding carries on, so one run reports every unknown key and type error in the file.
 */
final class RecordBinder {
    private final ConfigErrors errors;
    private final SourceMap sources = new SourceMap();

    /**
     * The bound root and where each part of it came from. Where binding failed the value holds nulls, so
     * it may be validated but must not be handed out unless no errors were added.
     */
    record Bound<T>(T value, SourceMap sources) {}

    private RecordBinder(ConfigErrors errors) {
        this.errors = errors;
    }

    static <T extends Record> Bound<T> bind(Node root, Class<T> type, ConfigErrors errors) {
        RecordBinder binder = new RecordBinder(errors);
        binder.sources.putLine("", line(root));
        return new Bound<>(type.cast(binder.bindValue(root, type, "")), binder.sources);
    }

    private Object bindValue(Node node, Type type, String path) {
        if (node instanceof ScalarNode scalar && Scalars.isNull(scalar)) {
            return null;
        }
        Class<?> raw = rawClass(type);
        if (Scalars.supports(raw)) {
            return bindScalar(node, raw, path); // before records: ByteSize is a record written as a scalar
        }
        if (raw.isRecord() && node instanceof ScalarNode scalar && scalarFactory(raw) != null) {
            return fromScalar(scalar, raw, path);
        }
        if (raw.isRecord()) {
            return bindRecord(node, raw, path);
        }
        if (raw == List.class) {
            return bindList(node, typeArgument(type, 0), path);
        }
        if (raw == Map.class) {
            return bindStringMap(node, type, path);
        }
        throw new IllegalStateException("config component type " + type + " is not supported at " + path);
    }

    private Object bindRecord(Node node, Class<?> type, String path) {
        if (!(node instanceof MappingNode mapping)) {
            return shapeError(path, node, "a mapping");
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple entry : mapping.getValue()) {
            String key = key(entry, path, seen);
            if (key == null) {
                continue;
            }
            String keyPath = SourceMap.child(path, key);
            int index = indexOf(components, key);
            if (index < 0) {
                String unsupported = UnsupportedKeys.messageFor(type, key);
                error(keyPath, unsupported != null ? unsupported : "unknown key (expected one of: "
                        + Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.joining(", "))
                        + ")");
                continue;
            }
            values[index] = bindValue(entry.getValueNode(), components[index].getGenericType(), keyPath);
        }
        Object record = construct(type, components, values);
        sources.putRecord(record, path);
        return record;
    }

    /**
     * agentgateway writes some settings either as a mapping or as one string (inline JWKS, a bare CEL rule);
     * such a record declares {@code public static T fromScalar(String)} for the short form.
     */
    static Method scalarFactory(Class<?> type) {
        try {
            Method m = type.getMethod("fromScalar", String.class);
            return Modifier.isStatic(m.getModifiers()) && m.getReturnType() == type ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private Object fromScalar(ScalarNode scalar, Class<?> type, String path) {
        String text = (String) bindScalar(scalar, String.class, path);
        if (text == null) {
            return null;
        }
        try {
            Object record = scalarFactory(type).invoke(null, text);
            sources.putRecord(record, path);
            return record;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName() + " from a string", e);
        }
    }

    private List<Object> bindList(Node node, Type elementType, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            shapeError(path, node, "a list");
            return null;
        }
        List<Object> values = new ArrayList<>();
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = SourceMap.element(path, i);
            sources.putLine(itemPath, line(item));
            if (item instanceof ScalarNode scalar && Scalars.isNull(scalar)) {
                error(itemPath, "empty list entry");
                values.add(null);
            } else {
                values.add(bindValue(item, elementType, itemPath));
            }
        }
        // Nulls can only remain when errors were reported, and then the config is never handed out.
        return Collections.unmodifiableList(values);
    }

    private Map<String, String> bindStringMap(Node node, Type type, String path) {
        if (typeArgument(type, 0) != String.class || typeArgument(type, 1) != String.class) {
            throw new IllegalStateException("only Map<String, String> is supported, not " + type);
        }
        if (!(node instanceof MappingNode mapping)) {
            shapeError(path, node, "a mapping");
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple entry : mapping.getValue()) {
            String key = key(entry, path, seen);
            if (key == null) {
                continue;
            }
            String keyPath = SourceMap.child(path, key);
            Node value = entry.getValueNode();
            if (value instanceof ScalarNode scalar && Scalars.isNull(scalar)) {
                error(keyPath, "missing value (write \"\" for an empty one)");
            } else {
                values.put(key, (String) bindScalar(value, String.class, keyPath));
            }
        }
        return Collections.unmodifiableMap(values);
    }

    private Object bindScalar(Node node, Class<?> type, String path) {
        if (!(node instanceof ScalarNode scalar)) {
            return shapeError(path, node, Scalars.describe(type));
        }
        try {
            return Scalars.convert(scalar, type);
        } catch (IllegalArgumentException e) {
            error(path, e.getMessage());
            return null;
        }
    }

    /**
     * The key of a mapping entry, recording its line; null (after reporting) for a non-scalar or
     * duplicate key. SnakeYAML's compose step does not detect duplicates, so they are caught here.
     */
    private String key(NodeTuple entry, String parentPath, Map<String, Integer> seen) {
        Node keyNode = entry.getKeyNode();
        if (!(keyNode instanceof ScalarNode scalar)) {
            errors.add(parentPath, line(keyNode), "keys must be plain strings");
            return null;
        }
        String key = scalar.getValue();
        String keyPath = SourceMap.child(parentPath, key);
        int line = line(keyNode);
        Integer first = seen.putIfAbsent(key, line);
        if (first != null) {
            errors.add(keyPath, line, "duplicate key (first at line " + first + ")");
            return null;
        }
        sources.putLine(keyPath, line);
        return key;
    }

    private Object shapeError(String path, Node node, String expected) {
        String found = node instanceof MappingNode ? "a mapping"
                : node instanceof SequenceNode ? "a list"
                : Scalars.quote(((ScalarNode) node).getValue());
        error(path, "expected " + expected + ", found " + found);
        return null;
    }

    private void error(String path, String message) {
        errors.add(path, sources.line(path), message);
    }

    private static Object construct(Class<?> type, RecordComponent[] components, Object[] values) {
        Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(parameterTypes);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            // The config records have no validating constructors, so this is a programming error.
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported config component type " + type);
    }

    static Type typeArgument(Type type, int index) {
        if (!(type instanceof ParameterizedType p)) {
            throw new IllegalStateException("raw collection type in a config record: " + type);
        }
        return p.getActualTypeArguments()[index];
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
