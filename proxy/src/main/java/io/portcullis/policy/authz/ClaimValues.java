package io.portcullis.policy.authz;

import dev.cel.common.values.NullValue;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts JSON claim values in the forms CEL's Java runtime reads: a JSON {@code null} becomes CEL's
 * {@code NULL_VALUE} (a Java null inside a map makes the runtime misbehave rather than compare with
 * {@code null}), and numbers other than {@code Long} and {@code Double} become one of the two. Claims are
 * almost always already in that form, so the check walks them without allocating and copies only when a
 * value has to change.
 */
final class ClaimValues {
    private ClaimValues() {}

    /** {@code value} itself when CEL can read it as it is, otherwise a converted copy. */
    static Object forCel(Object value) {
        return needsConversion(value) ? convert(value) : value;
    }

    private static boolean needsConversion(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return false;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (needsConversion(entry.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (needsConversion(element)) {
                    return true;
                }
            }
            return false;
        }
        return value instanceof Number;
    }

    private static Object convert(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, convert(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(convert(element)));
            return copy;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < Long.SIZE) {
            return big.longValue();
        }
        if (value instanceof Number number && !(value instanceof Long) && !(value instanceof Double)) {
            return number.doubleValue(); // Float, BigDecimal, a BigInteger beyond long
        }
        return value;
    }
}
