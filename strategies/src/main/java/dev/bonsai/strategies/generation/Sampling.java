package dev.bonsai.strategies.generation;

import java.util.SplittableRandom;

/**
 * How the next token is drawn from a model's logits: softmax of the logits divided by the temperature, restricted to
 * the {@code topK} most likely tokens; temperature 0 always takes the most likely token (greedy decoding).
 *
 * @param temperature divides the logits before the softmax; 0 for greedy decoding, 1 for the model's distribution
 * @param topK        keep only the k most likely tokens (ties broken by the lower token id); 0 keeps all
 */
public record Sampling(double temperature, int topK) {

    /** Checks the values. */
    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number ≥ 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be ≥ 0 (0 keeps every token), got " + topK);
        }
    }

    /**
     * The probability of each token given its logits: {@code logits[offset .. offset + vocab)}.
     *
     * @return a distribution over the {@code vocab} tokens (zero outside the top k)
     */
    public double[] probabilities(float[] logits, int offset, int vocab) {
        double[] p = new double[vocab];
        if (temperature == 0) {
            p[argmax(logits, offset, vocab)] = 1;
            return p;
        }
        boolean[] kept = kept(logits, offset, vocab);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            if (kept[i]) {
                max = Math.max(max, logits[offset + i] / temperature);
            }
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            if (kept[i]) {
                p[i] = Math.exp(logits[offset + i] / temperature - max);
                sum += p[i];
            }
        }
        for (int i = 0; i < vocab; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** A token drawn from {@link #probabilities} with one uniform number from {@code random}. */
    public int draw(float[] logits, int offset, int vocab, SplittableRandom random) {
        if (temperature == 0) {
            return argmax(logits, offset, vocab);
        }
        double[] p = probabilities(logits, offset, vocab);
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < vocab; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last;
    }

    private boolean[] kept(float[] logits, int offset, int vocab) {
        boolean[] kept = new boolean[vocab];
        if (topK == 0 || topK >= vocab) {
            java.util.Arrays.fill(kept, true);
            return kept;
        }
        for (int k = 0; k < topK; k++) {
            int best = -1;
            for (int i = 0; i < vocab; i++) {
                if (!kept[i] && (best < 0 || logits[offset + i] > logits[offset + best])) {
                    best = i;
                }
            }
            kept[best] = true;
        }
        return kept;
    }

    private static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
