package dev.bonsai.experiments.bench;

import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import java.util.Map;
import java.util.SplittableRandom;

/** The shape of synthetic benchmark data, named after the dataset it imitates. */
public enum SyntheticShape {
    /** MNIST: {@code [1, 28, 28]} images, 10 classes. */
    MNIST(Shape.of(1, 28, 28), 10, false),
    /** CIFAR-10: {@code [3, 32, 32]} images, 10 classes. */
    CIFAR(Shape.of(3, 32, 32), 10, false),
    /** Tiny Shakespeare: windows of 64 characters of a 65-character vocabulary, a target per position. */
    TEXT(Shape.of(64), 65, true);

    private final Shape sample;
    private final int classes;
    private final boolean sequence;

    SyntheticShape(Shape sample, int classes, boolean sequence) {
        this.sample = sample;
        this.classes = classes;
        this.sequence = sequence;
    }

    /** What a model provider is told about the data. */
    public DatasetInfo info() {
        return new DatasetInfo("synthetic-" + name().toLowerCase(java.util.Locale.ROOT), sample, classes, Map.of());
    }

    /** Labels per sample: one per position for text, else one. */
    public int labelsPerSample() {
        return sequence ? sample.dim(0) : 1;
    }

    /** {@code samples} seeded random samples (uniform pixels, or uniform token ids) with random labels. */
    public Split split(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = Math.toIntExact(sample.size());
        float[] features = new float[samples * size];
        for (int i = 0; i < features.length; i++) {
            features[i] = sequence ? random.nextInt(classes) : (float) random.nextDouble();
        }
        int[] labels = new int[samples * labelsPerSample()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new Split("bench", sample, features, labels, labelsPerSample());
    }
}
