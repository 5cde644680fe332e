package dev.bonsai.api.data;

/**
 * How a {@link Split} holds its feature values: {@code samples × rowSize} values, row-major. Implementations are
 * immutable and decode a value the same way every time, so every view of a split (a batch, a gather, a subset, the
 * materialised array) holds identical floats.
 */
sealed interface FeatureRows permits FloatRows, ByteRows, TokenWindows {
    /** The number of feature values held. */
    long length();

    /** The bytes of Java heap the values occupy (not counting a materialised float copy). */
    long heldBytes();

    /** The value at flat index {@code index} (row-major over all samples). */
    float value(int index);

    /** Copies the row of {@code sample} ({@code rowSize} values) to {@code dst} at {@code dstOffset}. */
    void copyRow(int sample, int rowSize, float[] dst, int dstOffset);

    /** New rows holding the rows at {@code indices}, in that order, in the same representation. */
    FeatureRows select(int[] indices, int rowSize);

    /** Every value as floats: the array itself when the rows are floats, otherwise a new array. */
    float[] floats();
}
