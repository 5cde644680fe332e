package dev.bonsai.api.data;

import java.util.SplittableRandom;

/**
 * The seeded order in which training samples are visited: the same seed gives the same
 * batches on every engine. Epoch {@code e} is a Fisher–Yates shuffle drawn from a stream derived from the seed
 * and {@code e}, so an epoch's order does not depend on how many epochs came before.
 */
public final class BatchSampler {
    private final long seed;

    /** A sampler for {@code seed}. */
    public BatchSampler(long seed) {
        this.seed = seed;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The order of samples {@code 0..n-1} in epoch {@code epoch}. */
    public int[] order(int n, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, new SplittableRandom(mix(seed, epoch)));
        return order;
    }

    /** A seeded permutation of {@code 0..n-1} for another purpose, named by {@code salt}. */
    public static int[] permutation(int n, long seed, long salt) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, new SplittableRandom(mix(seed, salt ^ 0x5DEECE66DL)));
        return order;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
