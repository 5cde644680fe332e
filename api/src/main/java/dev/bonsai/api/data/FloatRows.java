package dev.bonsai.api.data;

/** Feature values held as floats, four bytes each. */
record FloatRows(float[] values) implements FeatureRows {
    @Override
    public long length() {
        return values.length;
    }

    @Override
    public long heldBytes() {
        return 4L * values.length;
    }

    @Override
    public float value(int index) {
        return values[index];
    }

    @Override
    public void copyRow(int sample, int rowSize, float[] dst, int dstOffset) {
        System.arraycopy(values, sample * rowSize, dst, dstOffset, rowSize);
    }

    @Override
    public FeatureRows select(int[] indices, int rowSize) {
        float[] out = new float[Math.multiplyExact(indices.length, rowSize)];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(values, indices[i] * rowSize, out, i * rowSize, rowSize);
        }
        return new FloatRows(out);
    }

    @Override
    public float[] floats() {
        return values;
    }
}
