package dev.bonsai.api.data;

import dev.bonsai.api.model.Tensor;

/**
 * A batch in host memory.
 *
 * @param features {@code [batch, ...sample]}
 * @param labels   one class index per sample
 */
public record Batch(Tensor features, int[] labels) {
    /** Checks the sizes agree. */
    public Batch {
        if (features.shape().dim(0) != labels.length) {
            throw new IllegalArgumentException("batch of " + features.shape().dim(0) + " samples has "
                    + labels.length + " labels");
        }
    }

    /** The number of samples. */
    public int size() {
        return labels.length;
    }
}
