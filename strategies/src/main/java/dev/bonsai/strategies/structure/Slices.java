package dev.bonsai.strategies.structure;

import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.Mask;
import java.util.BitSet;
import java.util.Map;

/**
 * Keeps chosen indices of one axis of a row-major tensor or mask (the rows of a weight, the input channels of a
 * kernel, the input columns of a dense layer): what removing units does to every parameter that has one entry per
 * unit.
 */
final class Slices {

    private Slices() {
    }

    /** {@code t} with only the indices {@code keep} (ascending) of {@code axis}. */
    static Tensor keep(Tensor t, int axis, int[] keep) {
        int[] dims = t.shape().dims();
        int outer = outer(dims, axis);
        int inner = inner(dims, axis);
        float[] out = new float[outer * keep.length * inner];
        float[] in = t.data();
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < keep.length; k++) {
                System.arraycopy(in, (o * dims[axis] + keep[k]) * inner, out, (o * keep.length + k) * inner, inner);
            }
        }
        dims[axis] = keep.length;
        return new Tensor(Shape.of(dims), out);
    }

    /** {@code mask} with only the indices {@code keep} (ascending) of {@code axis}. */
    static Mask keep(Mask mask, int axis, int[] keep) {
        int[] dims = mask.shape().dims();
        int outer = outer(dims, axis);
        int inner = inner(dims, axis);
        BitSet kept = new BitSet();
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < keep.length; k++) {
                int from = (o * dims[axis] + keep[k]) * inner;
                int to = (o * keep.length + k) * inner;
                for (int i = 0; i < inner; i++) {
                    if (mask.kept(from + i)) {
                        kept.set(to + i);
                    }
                }
            }
        }
        dims[axis] = keep.length;
        return new Mask(Shape.of(dims), kept);
    }

    /**
     * Keeps {@code keep} of {@code axis} of the parameter {@code name} in {@code weights} and of its mask in
     * {@code masks}, in place; a mask left with nothing pruned is dropped.
     */
    static void keepIn(Map<String, Tensor> weights, Map<String, Mask> masks, String name, int axis, int[] keep) {
        weights.put(name, keep(weights.get(name), axis, keep));
        Mask mask = masks.get(name);
        if (mask != null) {
            Mask sliced = keep(mask, axis, keep);
            if (sliced.prunedCount() == 0) {
                masks.remove(name);
            } else {
                masks.put(name, sliced);
            }
        }
    }

    /** The indices of {@code 0..n-1} not in {@code gone}, ascending. */
    static int[] complement(BitSet gone, int n) {
        int[] keep = new int[n - gone.cardinality()];
        int j = 0;
        for (int i = gone.nextClearBit(0); i < n; i = gone.nextClearBit(i + 1)) {
            keep[j++] = i;
        }
        return keep;
    }

    /** The rows (indices of axis 0) of {@code mask} whose every element is pruned. */
    static BitSet prunedRows(Mask mask) {
        int rows = mask.shape().dim(0);
        int length = mask.size() / rows;
        BitSet kept = mask.keptBits();
        BitSet gone = new BitSet(rows);
        for (int r = 0; r < rows; r++) {
            int next = kept.nextSetBit(r * length);
            if (next < 0 || next >= (r + 1) * length) {
                gone.set(r);
            }
        }
        return gone;
    }

    private static int outer(int[] dims, int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= dims[i];
        }
        return n;
    }

    private static int inner(int[] dims, int axis) {
        int n = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }
}
