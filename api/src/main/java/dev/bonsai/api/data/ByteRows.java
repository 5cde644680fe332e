package dev.bonsai.api.data;

/**
 * Feature values held as one byte each and decoded through a 256-entry table per channel: the value at position
 * {@code p} of a row is {@code tables[p / channelSize][bytes & 0xFF]}, where a row holds
 * {@code tables.length} channels of {@code channelSize} consecutive values.
 */
record ByteRows(byte[] values, float[][] tables, int channelSize) implements FeatureRows {
    @Override
    public long length() {
        return values.length;
    }

    @Override
    public long heldBytes() {
        return values.length;
    }

    @Override
    public float value(int index) {
        int rowSize = channelSize * tables.length;
        return tables[(index % rowSize) / channelSize][values[index] & 0xFF];
    }

    @Override
    public void copyRow(int sample, int rowSize, float[] dst, int dstOffset) {
        int in = sample * rowSize;
        int out = dstOffset;
        for (float[] table : tables) {
            for (int end = in + channelSize; in < end; in++, out++) {
                dst[out] = table[values[in] & 0xFF];
            }
        }
    }

    @Override
    public FeatureRows select(int[] indices, int rowSize) {
        byte[] out = new byte[Math.multiplyExact(indices.length, rowSize)];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(values, indices[i] * rowSize, out, i * rowSize, rowSize);
        }
        return new ByteRows(out, tables, channelSize);
    }

    @Override
    public float[] floats() {
        int rowSize = channelSize * tables.length;
        int rows = values.length / rowSize;
        float[] out = new float[values.length];
        for (int s = 0; s < rows; s++) {
            copyRow(s, rowSize, out, s * rowSize);
        }
        return out;
    }
}
