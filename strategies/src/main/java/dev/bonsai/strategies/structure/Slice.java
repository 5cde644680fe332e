package dev.bonsai.strategies.structure;

import java.util.Arrays;

/**
 * Part of one parameter that belongs to a pruning group: the indices {@code indices} of axis {@code axis} (a weight's
 * rows on axis 0, a consumer's input columns on axis 1, the entries of a bias or a norm's scale on axis 0).
 *
 * @param parameter the parameter's name
 * @param axis      the axis the indices run along
 * @param indices   the indices, in the order the slice's elements are read
 */
public record Slice(String parameter, int axis, int[] indices) {
    /** Copies the indices. */
    public Slice {
        if (axis < 0) {
            throw new IllegalArgumentException("slice of '" + parameter + "' needs an axis ≥ 0, got " + axis);
        }
        indices = indices.clone();
    }

    /** The slice of {@code parameter} at the single index {@code index} of {@code axis}. */
    public static Slice of(String parameter, int axis, int index) {
        return new Slice(parameter, axis, new int[] {index});
    }

    /** The indices; a copy. */
    @Override
    public int[] indices() {
        return indices.clone();
    }

    /**
     * Calls {@code visit} with the row-major offset of every element of the slice in a parameter of shape
     * {@code dims}: for each index in order, the elements whose coordinate on the axis is that index, in row-major
     * order.
     */
    void forEachElement(int[] dims, java.util.function.IntConsumer visit) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= dims[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        for (int index : indices) {
            for (int o = 0; o < outer; o++) {
                int start = (o * dims[axis] + index) * inner;
                for (int j = 0; j < inner; j++) {
                    visit.accept(start + j);
                }
            }
        }
    }

    int[] rawIndices() {
        return indices;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Slice s && s.parameter.equals(parameter) && s.axis == axis
                && Arrays.equals(s.indices, indices);
    }

    @Override
    public int hashCode() {
        return parameter.hashCode() * 31 * 31 + axis * 31 + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return parameter + "[axis " + axis + ": " + Arrays.toString(indices) + "]";
    }
}
