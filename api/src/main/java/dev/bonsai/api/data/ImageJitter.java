package dev.bonsai.api.data;

import dev.bonsai.api.model.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random translation and horizontal flip of images {@code [channels, height, width]}: the usual "pad and random
 * crop" jitter (Hinton et al. 2015 on MNIST: up to two pixels in every direction; CIFAR: padding 4 and flips).
 *
 * <p>Each sample is moved by {@code dy, dx}, each drawn uniformly from {@code −shift..shift}: output pixel
 * {@code (y, x)} is input pixel {@code (y + dy, x' + dx)}, where {@code x'} is {@code x}, or {@code width − 1 − x} when
 * the sample is flipped (with probability ½, and only if {@code flip}); pixels from outside the image take the
 * channel's {@code fill} value (the value a black pixel has in the loaded, possibly normalised, data). The draws come
 * from a stream seeded by (seed, epoch, sample index) alone, so they do not depend on the batch or the engine; the
 * flip is drawn even when {@code flip} is off, so turning it on leaves the shifts as they were.
 */
public final class ImageJitter implements Augmentation {
    private final int shift;
    private final boolean flip;
    private final float[] fill;

    /**
     * A jitter.
     *
     * @param shift the largest translation in each direction, in pixels, {@code ≥ 0}
     * @param flip  whether images are also flipped left-right with probability ½
     * @param fill  the value of pixels moved in from outside the image: one per channel, or one for all channels
     * @throws IllegalArgumentException when the shift is negative, no fill is given, or it would change nothing
     */
    public ImageJitter(int shift, boolean flip, float[] fill) {
        if (shift < 0) {
            throw new IllegalArgumentException("image jitter shift must be ≥ 0 pixels, got " + shift);
        }
        if (fill == null || fill.length == 0) {
            throw new IllegalArgumentException("image jitter needs a fill value (one per channel, or one for all)");
        }
        if (shift == 0 && !flip) {
            throw new IllegalArgumentException("image jitter with shift 0 and no flip changes nothing: give a shift "
                    + "> 0 or flip: true, or leave augmentation out");
        }
        this.shift = shift;
        this.flip = flip;
        this.fill = fill.clone();
    }

    /** The largest translation in each direction, in pixels. */
    public int shift() {
        return shift;
    }

    /** Whether images are flipped left-right with probability ½. */
    public boolean flip() {
        return flip;
    }

    /** The fill value of each channel (a copy). */
    public float[] fill() {
        return fill.clone();
    }

    @Override
    public void check(Shape sampleShape) {
        if (sampleShape.rank() != 3) {
            throw new IllegalArgumentException("image jitter (shift " + shift + (flip ? ", flip" : "") + ") needs "
                    + "image samples of shape [channels, height, width], but the samples have shape " + sampleShape
                    + (sampleShape.rank() == 1 ? " (a sequence of tokens or a feature vector, which has no pixels to "
                    + "shift or flip)" : "") + "; leave augmentation out for this dataset");
        }
        int channels = sampleShape.dim(0);
        if (fill.length != 1 && fill.length != channels) {
            throw new IllegalArgumentException("image jitter has " + fill.length + " fill values but the images have "
                    + channels + " channels " + sampleShape);
        }
        int height = sampleShape.dim(1);
        int width = sampleShape.dim(2);
        if (shift >= height || shift >= width) {
            throw new IllegalArgumentException("image jitter shift " + shift + " is not smaller than the images' "
                    + height + " × " + width + " pixels: a shifted image could hold nothing of the original");
        }
    }

    @Override
    public Batch apply(Batch batch, int[] sampleIds, long seed, int epoch) {
        int[] dims = batch.features().shape().dims();
        if (dims.length != 4) {
            throw new IllegalArgumentException("image jitter needs a batch [n, channels, height, width], got "
                    + batch.features().shape());
        }
        check(Shape.of(dims[1], dims[2], dims[3]));
        int n = dims[0];
        int channels = dims[1];
        int height = dims[2];
        int width = dims[3];
        if (sampleIds.length != n) {
            throw new IllegalArgumentException("a batch of " + n + " samples but " + sampleIds.length + " sample ids");
        }
        float[] data = batch.features().data();
        int plane = height * width;
        int size = channels * plane;
        float[] source = new float[size];
        for (int i = 0; i < n; i++) {
            SplittableRandom random = new SplittableRandom(mix(seed, epoch, sampleIds[i]));
            int dy = random.nextInt(2 * shift + 1) - shift;
            int dx = random.nextInt(2 * shift + 1) - shift;
            boolean mirror = random.nextBoolean() && flip;
            int base = i * size;
            System.arraycopy(data, base, source, 0, size);
            for (int c = 0; c < channels; c++) {
                float background = fill[fill.length == 1 ? 0 : c];
                int p = c * plane;
                for (int y = 0; y < height; y++) {
                    int sy = y + dy;
                    boolean rowInside = sy >= 0 && sy < height;
                    int out = base + p + y * width;
                    for (int x = 0; x < width; x++) {
                        int sx = (mirror ? width - 1 - x : x) + dx;
                        data[out + x] = rowInside && sx >= 0 && sx < width ? source[p + sy * width + sx] : background;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageJitter j && j.shift == shift && j.flip == flip && Arrays.equals(j.fill, fill);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * shift + Boolean.hashCode(flip)) + Arrays.hashCode(fill);
    }

    @Override
    public String toString() {
        return "ImageJitter[shift " + shift + (flip ? ", flip" : "") + ", fill " + Arrays.toString(fill) + "]";
    }
}
