package dev.bonsai.models.pretrained.gguf;

import java.util.List;

/**
 * One GGUF metadata value. Integers of every width are held as {@link Long} (an unsigned 64-bit value above
 * {@link Long#MAX_VALUE} reads as negative), {@code FLOAT32} as {@link Float}, {@code FLOAT64} as {@link Double},
 * {@code BOOL} as {@link Boolean}, strings as {@link String}, arrays as a {@link List} of such values.
 *
 * @param type        the value's type
 * @param elementType the type of an array's elements, or {@code null} when the value is not an array
 * @param value       the value
 */
record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    /** A scalar or string value. */
    static GgufValue of(GgufValueType type, Object value) {
        return new GgufValue(type, null, value);
    }

    /** An array of {@code elementType} values. */
    static GgufValue array(GgufValueType elementType, List<?> values) {
        return new GgufValue(GgufValueType.ARRAY, elementType, List.copyOf(values));
    }

    /** The type as a message shows it, for example {@code ARRAY[STRING]}. */
    String typeText() {
        return elementType == null ? type.name() : type.name() + "[" + elementType.name() + "]";
    }

    /** Whether the value is an integer of any width. */
    boolean isInteger() {
        return value instanceof Long;
    }
}
