package dev.bonsai.models.pretrained;

import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;

/**
 * Moves the rows of a query or key projection between the two rotary conventions. Checkpoints in the
 * interleaved-pair convention (llama2.c, GGUF) rotate dimensions {@code (2i, 2i+1)} of each head together; Bonsai's
 * {@link dev.bonsai.api.model.LayerSpec.Attention} rotates {@code (i, i + headDim/2)} (Hugging Face's
 * {@code rotate_half}). Permuting the projection's output rows within each head turns one into the other without
 * changing any score: within a head, half-split row {@code i < headDim/2} is interleaved row {@code 2i}, and
 * half-split row {@code headDim/2 + i} is interleaved row {@code 2i + 1} (transformers' {@code permute} in
 * {@code convert_llama_weights_to_hf.py}). Works on weights {@code [heads·headDim, D]} and biases
 * {@code [heads·headDim]} alike.
 */
public final class RotaryRows {

    private RotaryRows() {
    }

    /** The rows of {@code interleaved} (heads of width {@code headDim}) in the half-split order. */
    public static Tensor toHalfSplit(Tensor interleaved, int headDim) {
        return permute(interleaved, headDim, true);
    }

    /** The rows of {@code halfSplit} (heads of width {@code headDim}) in the interleaved order; undoes {@link #toHalfSplit}. */
    public static Tensor toInterleaved(Tensor halfSplit, int headDim) {
        return permute(halfSplit, headDim, false);
    }

    private static Tensor permute(Tensor t, int headDim, boolean toHalfSplit) {
        Shape shape = t.shape();
        int rows = shape.dim(0);
        if (headDim <= 0 || headDim % 2 != 0 || rows % headDim != 0) {
            throw new IllegalArgumentException("a projection of " + rows + " rows cannot be split into rotary heads"
                    + " of even width " + headDim);
        }
        int cols = rows == 0 ? 0 : (int) (shape.size() / rows);
        int half = headDim / 2;
        float[] from = t.data();
        float[] to = new float[from.length];
        for (int head = 0; head < rows / headDim; head++) {
            int base = head * headDim;
            for (int i = 0; i < half; i++) {
                int interleavedEven = base + 2 * i;
                int halfSplitFirst = base + i;
                int interleavedOdd = base + 2 * i + 1;
                int halfSplitSecond = base + half + i;
                if (toHalfSplit) {
                    copyRow(from, interleavedEven, to, halfSplitFirst, cols);
                    copyRow(from, interleavedOdd, to, halfSplitSecond, cols);
                } else {
                    copyRow(from, halfSplitFirst, to, interleavedEven, cols);
                    copyRow(from, halfSplitSecond, to, interleavedOdd, cols);
                }
            }
        }
        return new Tensor(shape, to);
    }

    private static void copyRow(float[] from, int fromRow, float[] to, int toRow, int cols) {
        System.arraycopy(from, fromRow * cols, to, toRow * cols, cols);
    }
}
