package dev.bonsai.datasets.cifar;

import dev.bonsai.api.data.Batch;
import java.util.SplittableRandom;

/**
 * Seeded random-crop and horizontal-flip augmentation of image batches {@code [n, channels, height, width]}, applied
 * per batch as it is drawn, so no augmented copy of the dataset is ever made.
 *
 * <p>Each image is padded by {@code padding} pixels on every side with a fill value per channel (the value a black
 * pixel has after normalisation), a window of the original size is cropped at a random offset
 * {@code 0..2·padding} in each direction, and flipped left-right with probability 1/2. The random draws depend only
 * on the seed, the epoch and the sample's index in its split, so the same seed gives the same augmented batches on
 * every engine and for any batch size.
 */
public final class RandomCropFlip {
    private final int padding;
    private final float[] fill;

    /**
     * An augmentation.
     *
     * @param padding the padding on each side, in pixels (4 for CIFAR)
     * @param fill    the padding value of each channel
     */
    public RandomCropFlip(int padding, float[] fill) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must not be negative: " + padding);
        }
        this.padding = padding;
        this.fill = fill.clone();
    }

    /** The padding on each side. */
    public int padding() {
        return padding;
    }

    /**
     * Augments {@code batch} in place and returns it.
     *
     * @param batch     a batch of images {@code [n, channels, height, width]}, freshly drawn (its array is not shared
     *                  with the split, as {@link dev.bonsai.api.data.Split#batch(int[], int, int)} guarantees)
     * @param sampleIds the split index of each of the batch's samples, for example {@code order[from..to)}
     * @param seed      the experiment seed
     * @param epoch     the epoch
     */
    public Batch apply(Batch batch, int[] sampleIds, long seed, int epoch) {
        int[] dims = batch.features().shape().dims();
        if (dims.length != 4 || dims[1] != fill.length) {
            throw new IllegalArgumentException("expected a batch of shape [n, " + fill.length + ", h, w], got "
                    + batch.features().shape());
        }
        int n = dims[0];
        int channels = dims[1];
        int height = dims[2];
        int width = dims[3];
        if (sampleIds.length != n) {
            throw new IllegalArgumentException(n + " samples but " + sampleIds.length + " sample ids");
        }
        float[] data = batch.features().data();
        float[] scratch = new float[channels * height * width];
        int size = scratch.length;
        for (int i = 0; i < n; i++) {
            SplittableRandom random = new SplittableRandom(mix(seed, epoch, sampleIds[i]));
            int dy = random.nextInt(2 * padding + 1) - padding;
            int dx = random.nextInt(2 * padding + 1) - padding;
            boolean flip = random.nextBoolean();
            int base = i * size;
            System.arraycopy(data, base, scratch, 0, size);
            for (int c = 0; c < channels; c++) {
                int plane = c * height * width;
                for (int y = 0; y < height; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < width; x++) {
                        int sx = (flip ? width - 1 - x : x) + dx;
                        float v = sy < 0 || sy >= height || sx < 0 || sx >= width ? fill[c]
                                : scratch[plane + sy * width + sx];
                        data[base + plane + y * width + x] = v;
                    }
                }
            }
        }
        return batch;
    }

    private static long mix(long seed, long epoch, long sample) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + sample + 0x61756720L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
