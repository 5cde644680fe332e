package dev.bonsai.api.data;

/**
 * Language-model samples as views of one token stream: window {@code w} holds the {@code context} tokens from
 * {@code w × stride} as features and the token after each of them as labels. The stream is held once, as 16-bit
 * chars when every token id fits ({@code narrow}), otherwise as ints ({@code wide}); exactly one of them is set.
 */
record TokenWindows(char[] narrow, int[] wide, int context, int stride, int windows)
        implements FeatureRows, LabelRows {

    /** Windows over a copy of {@code tokens}, narrowed to chars when every id is in {@code 0..65535}. */
    static TokenWindows of(int[] tokens, int context, int stride, int windows) {
        boolean fits = true;
        for (int t : tokens) {
            if (t < 0 || t > Character.MAX_VALUE) {
                fits = false;
                break;
            }
        }
        if (!fits) {
            return new TokenWindows(null, tokens.clone(), context, stride, windows);
        }
        char[] narrow = new char[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            narrow[i] = (char) tokens[i];
        }
        return new TokenWindows(narrow, null, context, stride, windows);
    }

    private int token(int i) {
        return narrow != null ? narrow[i] : wide[i];
    }

    /** The stream position of flat index {@code index}'s feature token. */
    private int position(int index) {
        return (index / context) * stride + index % context;
    }

    @Override
    public long length() {
        return (long) windows * context;
    }

    @Override
    public long heldBytes() {
        return narrow != null ? 2L * narrow.length : 4L * wide.length;
    }

    @Override
    public float value(int index) {
        return token(position(index));
    }

    @Override
    public void copyRow(int sample, int rowSize, float[] dst, int dstOffset) {
        int start = sample * stride;
        for (int t = 0; t < context; t++) {
            dst[dstOffset + t] = token(start + t);
        }
    }

    /** The windows at {@code indices}, each with its target token, as windows of a new stream (stride context+1). */
    @Override
    public TokenWindows select(int[] indices, int rowSize) {
        int span = context + 1;
        int[] stream = new int[Math.multiplyExact(indices.length, span)];
        for (int i = 0; i < indices.length; i++) {
            int start = indices[i] * stride;
            for (int t = 0; t < span; t++) {
                stream[i * span + t] = token(start + t);
            }
        }
        return of(stream, context, span, indices.length);
    }

    @Override
    public float[] floats() {
        float[] out = new float[Math.toIntExact(length())];
        for (int w = 0; w < windows; w++) {
            copyRow(w, context, out, w * context);
        }
        return out;
    }

    @Override
    public int labelCount() {
        return Math.toIntExact(length());
    }

    @Override
    public long labelBytes() {
        return heldBytes();
    }

    @Override
    public int label(int index) {
        return token(position(index) + 1);
    }

    @Override
    public void copyLabels(int from, int to, int[] dst, int dstOffset) {
        for (int i = from, o = dstOffset; i < to; i++, o++) {
            dst[o] = label(i);
        }
    }

    @Override
    public int[] ints() {
        int[] out = new int[labelCount()];
        copyLabels(0, out.length, out, 0);
        return out;
    }
}
