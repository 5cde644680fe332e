package dev.bonsai.api.prune;

import dev.bonsai.api.model.Shape;
import java.util.BitSet;
import java.util.Objects;

/** Which elements of one parameter are kept (set bits) and which are pruned. Immutable. */
public final class Mask {
    private final Shape shape;
    private final BitSet kept;
    private final int size;

    /** A mask of {@code shape} keeping the set bits of {@code kept}. */
    public Mask(Shape shape, BitSet kept) {
        this.shape = Objects.requireNonNull(shape);
        this.size = Math.toIntExact(shape.size());
        if (kept.length() > size) {
            throw new IllegalArgumentException("mask bits beyond the parameter's " + size + " elements");
        }
        this.kept = (BitSet) kept.clone();
    }

    /** A mask that keeps everything. */
    public static Mask dense(Shape shape) {
        BitSet all = new BitSet();
        all.set(0, Math.toIntExact(shape.size()));
        return new Mask(shape, all);
    }

    /** The parameter's shape. */
    public Shape shape() {
        return shape;
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** Whether element {@code i} is kept. */
    public boolean kept(int i) {
        return kept.get(i);
    }

    /** The number of kept elements. */
    public int keptCount() {
        return kept.cardinality();
    }

    /** The number of pruned elements. */
    public int prunedCount() {
        return size - kept.cardinality();
    }

    /** A copy of the kept bits. */
    public BitSet keptBits() {
        return (BitSet) kept.clone();
    }

    /** 1 where kept, 0 where pruned: the form engines multiply by. */
    public float[] toFloats() {
        float[] f = new float[size];
        for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
            f[i] = 1f;
        }
        return f;
    }

    /** The elements kept by both masks. */
    public Mask and(Mask other) {
        if (!shape.equals(other.shape)) {
            throw new IllegalArgumentException("masks of shapes " + shape + " and " + other.shape);
        }
        BitSet both = keptBits();
        both.and(other.kept);
        return new Mask(shape, both);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && shape.equals(m.shape) && kept.equals(m.kept);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + kept.hashCode();
    }

    @Override
    public String toString() {
        return "Mask" + shape + "[" + keptCount() + " kept of " + size + "]";
    }
}
