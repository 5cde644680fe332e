package dev.bonsai.api.data;

import dev.bonsai.api.model.Tensor;

/**
 * A batch in host memory.
 *
 * @param features {@code [batch, ...sample]}
 * @param labels   the class indices, {@link #labelsPerSample()} per sample, row-major
 */
public record Batch(Tensor features, int[] labels) {
    /** Checks the sizes agree. */
    public Batch {
        int n = features.shape().dim(0);
        if (labels.length == 0 || labels.length % n != 0) {
            throw new IllegalArgumentException("batch of " + n + " samples has " + labels.length
                    + " labels, not a positive multiple of the sample count");
        }
    }

    /** The number of samples. */
    public int size() {
        return features.shape().dim(0);
    }

    /** Labels per sample: 1 for a classifier, T for a sequence of T positions. */
    public int labelsPerSample() {
        return labels.length / size();
    }
}
