package dev.bonsai.api.data;

/** Labels held as an int array. */
record IntLabels(int[] values) implements LabelRows {
    @Override
    public int labelCount() {
        return values.length;
    }

    @Override
    public long labelBytes() {
        return 4L * values.length;
    }

    @Override
    public int label(int index) {
        return values[index];
    }

    @Override
    public void copyLabels(int from, int to, int[] dst, int dstOffset) {
        System.arraycopy(values, from, dst, dstOffset, to - from);
    }

    @Override
    public int[] ints() {
        return values;
    }
}
