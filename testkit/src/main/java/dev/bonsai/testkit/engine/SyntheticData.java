package dev.bonsai.testkit.engine;

import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import java.util.SplittableRandom;

/**
 * Seeded synthetic classification data made in memory, so engine tests need no files.
 *
 * <p>{@link #separable} draws Gaussian points and labels them with a random linear "teacher", keeping only points
 * whose winning class leads by a margin: the classes are linearly separable with room to spare, so any engine that
 * trains correctly reaches high accuracy in a few epochs.
 */
public final class SyntheticData {
    private SyntheticData() {
    }

    /**
     * A linearly separable split.
     *
     * @param name     the split's name
     * @param samples  how many samples
     * @param shape    one sample's shape (its size is the number of features)
     * @param classes  the number of classes, at least 2
     * @param seed     the data seed; the same seed gives the same teacher, so splits made with the same seed and
     *                 different {@code salt} share their decision boundaries
     * @param salt     varies the points (for example 0 for training and 1 for test data)
     * @return the split
     */
    public static Split separable(String name, int samples, Shape shape, int classes, long seed, long salt) {
        int d = Math.toIntExact(shape.size());
        SplittableRandom teacherRandom = new SplittableRandom(seed);
        double[][] w = new double[classes][d];
        for (double[] row : w) {
            for (int j = 0; j < d; j++) {
                row[j] = gaussian(teacherRandom);
            }
        }
        SplittableRandom random = new SplittableRandom(seed * 31 + salt + 1);
        float[] features = new float[samples * d];
        int[] labels = new int[samples];
        double margin = 0.5 * Math.sqrt(d);
        double[] x = new double[d];
        for (int i = 0; i < samples; ) {
            for (int j = 0; j < d; j++) {
                x[j] = gaussian(random);
            }
            int best = -1;
            double top = Double.NEGATIVE_INFINITY;
            double second = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += w[c][j] * x[j];
                }
                if (s > top) {
                    second = top;
                    top = s;
                    best = c;
                } else if (s > second) {
                    second = s;
                }
            }
            if (top - second < margin) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                features[i * d + j] = (float) x[j];
            }
            labels[i] = best;
            i++;
        }
        return new Split(name, shape, features, labels);
    }

    /** Uniform random features in [-1, 1) and uniform labels, for shapes and speed (not learnable). */
    public static Split random(String name, int samples, Shape shape, int classes, long seed) {
        int d = Math.toIntExact(shape.size());
        SplittableRandom random = new SplittableRandom(seed);
        float[] features = new float[Math.multiplyExact(samples, d)];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble(-1, 1);
        }
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new Split(name, shape, features, labels);
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
