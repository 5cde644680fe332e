package dev.bonsai.api.data;

import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A labelled set of samples in host memory: features as one row-major float array, labels as ints. Splits are
 * immutable by convention: nothing writes to the arrays after construction.
 *
 * <p>A classifier's sample has one label. A sequence model's sample has one label per position
 * ({@link #labelsPerSample()} of them, for example the next token at each of T positions of a language model);
 * token ids are stored as floats in the features, which is exact for vocabularies below 2²⁴.
 */
public final class Split {
    private final String name;
    private final Shape sampleShape;
    private final float[] features;
    private final int[] labels;
    private final int sampleSize;
    private final int labelsPerSample;

    /**
     * A split with one label per sample.
     *
     * @param name        for messages, for example {@code train}
     * @param sampleShape one sample's shape
     * @param features    {@code labels.length × sampleShape.size()} values, row-major
     * @param labels      one class index per sample
     */
    public Split(String name, Shape sampleShape, float[] features, int[] labels) {
        this(name, sampleShape, features, labels, 1);
    }

    /**
     * A split with {@code labelsPerSample} labels per sample.
     *
     * @param name            for messages, for example {@code train}
     * @param sampleShape     one sample's shape
     * @param features        {@code samples × sampleShape.size()} values, row-major
     * @param labels          {@code samples × labelsPerSample} class indices, row-major
     * @param labelsPerSample labels per sample: 1 for a classifier, T for a sequence of T positions
     */
    public Split(String name, Shape sampleShape, float[] features, int[] labels, int labelsPerSample) {
        this.name = Objects.requireNonNull(name);
        this.sampleShape = Objects.requireNonNull(sampleShape);
        this.features = Objects.requireNonNull(features);
        this.labels = Objects.requireNonNull(labels);
        this.sampleSize = Math.toIntExact(sampleShape.size());
        this.labelsPerSample = labelsPerSample;
        if (labelsPerSample <= 0 || labels.length % labelsPerSample != 0) {
            throw new IllegalArgumentException("split '" + name + "' has " + labels.length + " labels, not a multiple of "
                    + labelsPerSample + " labels per sample");
        }
        if ((long) (labels.length / labelsPerSample) * sampleSize != features.length) {
            throw new IllegalArgumentException("split '" + name + "' has " + labels.length / labelsPerSample
                    + " samples' labels but " + features.length + " feature values for samples of shape " + sampleShape);
        }
    }

    /** The split's name. */
    public String name() {
        return name;
    }

    /** One sample's shape. */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** The number of samples. */
    public int size() {
        return labels.length / labelsPerSample;
    }

    /** Labels per sample: 1 for a classifier, T for a sequence of T positions. */
    public int labelsPerSample() {
        return labelsPerSample;
    }

    /** The feature array itself (not a copy): read it, never write it. */
    public float[] features() {
        return features;
    }

    /** The label array itself (not a copy): read it, never write it. */
    public int[] labels() {
        return labels;
    }

    /** A new split of the samples at {@code indices}, in that order. */
    public Split subset(String newName, int[] indices) {
        float[] f = new float[indices.length * sampleSize];
        int[] l = new int[indices.length * labelsPerSample];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * sampleSize, f, i * sampleSize, sampleSize);
            System.arraycopy(labels, indices[i] * labelsPerSample, l, i * labelsPerSample, labelsPerSample);
        }
        return new Split(newName, sampleShape, f, l, labelsPerSample);
    }

    /** The batch of samples {@code order[from..to)}. */
    public Batch batch(int[] order, int from, int to) {
        int n = to - from;
        float[] f = new float[n * sampleSize];
        int[] l = new int[n * labelsPerSample];
        for (int i = 0; i < n; i++) {
            int s = order[from + i];
            System.arraycopy(features, s * sampleSize, f, i * sampleSize, sampleSize);
            System.arraycopy(labels, s * labelsPerSample, l, i * labelsPerSample, labelsPerSample);
        }
        return new Batch(new Tensor(sampleShape.prepend(n), f), l);
    }

    /**
     * The whole split in order, in consecutive batches of {@code size} samples (the last one shorter when
     * {@code size} does not divide the split).
     *
     * @throws IllegalArgumentException when {@code size} is not positive
     */
    public List<Batch> batchesInOrder(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("the batch size must be positive, got " + size);
        }
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += size) {
            out.add(batch(order, from, Math.min(order.length, from + size)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Split[" + name + ", " + size() + " × " + sampleShape + "]";
    }
}
