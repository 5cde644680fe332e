package dev.bonsai.models.pretrained.gguf;

/**
 * Reorders the rows of a query or key projection between the two rotary conventions. GGUF (like Meta's and
 * llama2.c's checkpoints) rotates interleaved pairs {@code (2i, 2i+1)} of each head; Bonsai rotates half-split pairs
 * {@code (i, i + headDim/2)}. Within each head of {@code headDim} rows, half-split row {@code i < headDim/2} is
 * interleaved row {@code 2i} and half-split row {@code headDim/2 + i} is interleaved row {@code 2i+1} (the
 * {@code permute} of Hugging Face's LLaMA conversion). Columns are untouched.
 */
final class RotaryRows {
    private RotaryRows() {
    }

    /** The rows of {@code weight} ({@code heads·headDim} rows of {@code columns}) in the half-split order. */
    static float[] toHalfSplit(float[] weight, int heads, int headDim, int columns) {
        return permute(weight, heads, headDim, columns, true);
    }

    /** The rows of {@code weight} in the interleaved order: the inverse of {@link #toHalfSplit}. */
    static float[] toInterleaved(float[] weight, int heads, int headDim, int columns) {
        return permute(weight, heads, headDim, columns, false);
    }

    private static float[] permute(float[] weight, int heads, int headDim, int columns, boolean toHalfSplit) {
        if (headDim % 2 != 0 || (long) heads * headDim * columns != weight.length) {
            throw new IllegalArgumentException("a rotary projection of " + heads + " heads of even width " + headDim
                    + " and " + columns + " columns has " + (long) heads * headDim * columns + " elements, not "
                    + weight.length);
        }
        float[] out = new float[weight.length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = h * headDim;
            for (int i = 0; i < half; i++) {
                int[][] pairs = {{base + i, base + 2 * i}, {base + half + i, base + 2 * i + 1}};
                for (int[] pair : pairs) {
                    int from = toHalfSplit ? pair[1] : pair[0];
                    int to = toHalfSplit ? pair[0] : pair[1];
                    System.arraycopy(weight, from * columns, out, to * columns, columns);
                }
            }
        }
        return out;
    }
}
