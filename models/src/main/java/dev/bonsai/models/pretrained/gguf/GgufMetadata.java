package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.BonsaiException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The key/value metadata of a GGUF file, with typed look-ups whose errors name the file, the key and what was found.
 */
final class GgufMetadata {
    private final Path file;
    private final Map<String, GgufValue> values;

    GgufMetadata(Path file, Map<String, GgufValue> values) {
        this.file = file;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The entries, in file order. */
    Map<String, GgufValue> asMap() {
        return values;
    }

    /** Whether the file has {@code key}. */
    boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The string at {@code key}. */
    String string(String key) {
        return (String) require(key, GgufValueType.STRING).value();
    }

    /** The string at {@code key}, or {@code fallback} when absent. */
    String string(String key, String fallback) {
        return contains(key) ? string(key) : fallback;
    }

    /** The integer at {@code key}, which must fit a positive {@code int}. */
    int positiveInt(String key) {
        return positiveInt(key, optionalInteger(key).orElseThrow(() -> missing(key)));
    }

    private int positiveInt(String key, long value) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw error("metadata '" + key + "' is " + value + "; it must be a positive integer below 2^31");
        }
        return (int) value;
    }

    /** The integer at {@code key}, if present. */
    OptionalLong optionalInteger(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (!v.isInteger()) {
            throw wrongType(key, v, "an integer");
        }
        return OptionalLong.of((Long) v.value());
    }

    /** The number at {@code key} (a float or an integer), if present. */
    OptionalDouble optionalReal(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return OptionalDouble.empty();
        }
        if (!(v.value() instanceof Number n)) {
            throw wrongType(key, v, "a number");
        }
        // A float32 reads as the shortest decimal that identifies it (1e-5, not 9.99999974e-6), which is the
        // value the writer meant.
        return OptionalDouble.of(n instanceof Float f ? Double.parseDouble(Float.toString(f)) : n.doubleValue());
    }

    /** The number at {@code key}. */
    double real(String key) {
        return optionalReal(key).orElseThrow(() -> missing(key));
    }

    /** The array of strings at {@code key}. */
    List<String> strings(String key) {
        GgufValue v = require(key, GgufValueType.ARRAY);
        if (v.elementType() != GgufValueType.STRING) {
            throw wrongType(key, v, "an array of strings");
        }
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) v.value();
        return list;
    }

    /** The array of numbers at {@code key}, as floats. */
    float[] floats(String key) {
        List<?> list = numbers(key);
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    /** The array of integers at {@code key}, as ints. */
    int[] ints(String key) {
        GgufValue v = require(key, GgufValueType.ARRAY);
        List<?> list = (List<?>) v.value();
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw wrongType(key, v, "an array of 32-bit integers");
            }
            out[i] = l.intValue();
        }
        return out;
    }

    private List<?> numbers(String key) {
        GgufValue v = require(key, GgufValueType.ARRAY);
        List<?> list = (List<?>) v.value();
        for (Object o : list) {
            if (!(o instanceof Number)) {
                throw wrongType(key, v, "an array of numbers");
            }
        }
        return list;
    }

    private GgufValue require(String key, GgufValueType type) {
        GgufValue v = values.get(key);
        if (v == null) {
            throw missing(key);
        }
        if (v.type() != type) {
            throw wrongType(key, v, type.name());
        }
        return v;
    }

    /** An error naming the file. */
    BonsaiException error(String what) {
        return new BonsaiException("GGUF file " + file + ": " + what);
    }

    private BonsaiException missing(String key) {
        return error("metadata key '" + key + "' is missing; the file is incomplete or not a model of this"
                + " architecture");
    }

    private BonsaiException wrongType(String key, GgufValue v, String expected) {
        return error("metadata '" + key + "' is " + v.typeText() + ", expected " + expected);
    }
}
