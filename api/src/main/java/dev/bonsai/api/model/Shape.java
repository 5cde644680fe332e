package dev.bonsai.api.model;

import java.util.Arrays;

/** The dimensions of a tensor, outermost first. Immutable. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("shape dimensions must be positive: " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    /** A shape with the given dimensions. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of elements: the product of the dimensions (1 for a scalar). */
    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** This shape with the last dimension replaced. */
    public Shape withLast(int last) {
        int[] copy = dims.clone();
        copy[copy.length - 1] = last;
        return new Shape(copy);
    }

    /** This shape with {@code outer} prepended, for example a batch dimension. */
    public Shape prepend(int outer) {
        int[] copy = new int[dims.length + 1];
        copy[0] = outer;
        System.arraycopy(dims, 0, copy, 1, dims.length);
        return new Shape(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
