package dev.bonsai.api.model;

import java.util.Objects;

/**
 * A dense float tensor in host memory, row-major. The tensor shares its array with whoever made it: callers that
 * keep or modify the data should {@link #copy()} it.
 *
 * @param shape the dimensions
 * @param data  the elements, row-major; its length equals {@code shape.size()}
 */
public record Tensor(Shape shape, float[] data) {

    /** Checks that the data fits the shape. */
    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("tensor of shape " + shape + " needs " + shape.size()
                    + " elements, got " + data.length);
        }
    }

    /** A tensor of zeros. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[Math.toIntExact(shape.size())]);
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** The number of elements that are exactly zero. */
    public long zeros() {
        long n = 0;
        for (float v : data) {
            if (v == 0f) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && shape.equals(t.shape) && java.util.Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + shape;
    }
}
