package dev.bonsai.api.data;

/**
 * How a {@link Split} holds its labels: {@code samples × labelsPerSample} class indices, row-major. Implementations
 * are immutable.
 */
sealed interface LabelRows permits IntLabels, TokenWindows {
    /** The number of labels held. */
    int labelCount();

    /** The bytes of Java heap the labels occupy. */
    long labelBytes();

    /** The label at flat index {@code index} (row-major over all samples). */
    int label(int index);

    /** Copies the labels at flat indices {@code from..to} to {@code dst} at {@code dstOffset}. */
    void copyLabels(int from, int to, int[] dst, int dstOffset);

    /** Every label as one array: the array itself when the labels are ints, otherwise a new array. */
    int[] ints();
}
