package dev.bonsai.strategies.generation;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Autoregressive generation from a causal sequence model on any engine, built on {@link Network#logits}.
 *
 * <p>The model takes {@code [T]} token ids and gives {@code [T, vocab]} logits, each position seeing only itself
 * and earlier ones. A stream's window is its last T tokens (all of them while it is shorter), placed from position 0
 * as in training and padded after its end; the next token is drawn from the logits at the window's last token, so
 * the padding is never seen. Streams are generated together, {@code batch} at a time. Each stream draws from a
 * random generator of its own, derived from the seed and the stream's index, so the text of a seed does not depend
 * on the batch size or on how many other streams are generated.
 */
public final class Generator {
    private final Network network;
    private final int context;
    private final int vocab;

    /**
     * A generator for {@code network}.
     *
     * @throws BonsaiException when the network is not a causal sequence model (input {@code [T]} token ids, output
     *                         {@code [T, vocab]}, only per-position and causal layers)
     */
    public Generator(Network network) {
        this.network = network;
        ModelSpec spec = network.spec();
        checkCausal(spec);
        this.context = spec.inputShape().dim(0);
        this.vocab = spec.outputShape().dim(1);
    }

    /** The longest window the model sees. */
    public int context() {
        return context;
    }

    /** The number of tokens. */
    public int vocabulary() {
        return vocab;
    }

    /**
     * Continues each prompt by {@code length} tokens.
     *
     * @param prompts  one non-empty prompt of token ids per stream
     * @param length   new tokens per stream
     * @param sampling how each token is drawn
     * @param seed     the seed: the same seed, prompts and model give the same tokens
     * @param batch    streams per forward pass
     * @param progress told the number of tokens generated so far, after each step (for progress reports)
     * @return the new tokens of each stream (without its prompt)
     */
    public List<int[]> generate(List<int[]> prompts, int length, Sampling sampling, long seed, int batch,
            IntConsumer progress) {
        if (length < 0 || batch < 1) {
            throw new IllegalArgumentException("length must be ≥ 0 and batch ≥ 1, got " + length + " and " + batch);
        }
        for (int s = 0; s < prompts.size(); s++) {
            int[] prompt = prompts.get(s);
            if (prompt.length == 0) {
                throw new BonsaiException("prompt " + (s + 1) + " is empty; generation needs at least one token");
            }
            for (int id : prompt) {
                if (id < 0 || id >= vocab) {
                    throw new BonsaiException("prompt " + (s + 1) + " holds token id " + id + ", outside the model's "
                            + "vocabulary of " + vocab);
                }
            }
        }
        List<int[]> out = new ArrayList<>(prompts.size());
        int done = 0;
        for (int from = 0; from < prompts.size(); from += batch) {
            int to = Math.min(prompts.size(), from + batch);
            int[][] generated = generateGroup(prompts.subList(from, to), from, length, sampling, seed, progress, done);
            for (int[] g : generated) {
                out.add(g);
            }
            done += (to - from) * length;
        }
        return out;
    }

    private int[][] generateGroup(List<int[]> prompts, int firstStream, int length, Sampling sampling, long seed,
            IntConsumer progress, int doneBefore) {
        int n = prompts.size();
        int[][] tokens = new int[n][];
        int[] lengths = new int[n];
        SplittableRandom[] random = new SplittableRandom[n];
        for (int s = 0; s < n; s++) {
            int[] prompt = prompts.get(s);
            tokens[s] = java.util.Arrays.copyOf(prompt, prompt.length + length);
            lengths[s] = prompt.length;
            random[s] = new SplittableRandom(streamSeed(seed, firstStream + s));
        }
        float[] window = new float[n * context];
        for (int step = 0; step < length; step++) {
            java.util.Arrays.fill(window, 0f);
            int[] last = new int[n];
            for (int s = 0; s < n; s++) {
                int start = Math.max(0, lengths[s] - context);
                int size = lengths[s] - start;
                for (int t = 0; t < size; t++) {
                    window[s * context + t] = tokens[s][start + t];
                }
                last[s] = size - 1;
            }
            Tensor logits = network.logits(new Batch(new Tensor(Shape.of(n, context), window.clone()), new int[n]));
            float[] l = logits.data();
            for (int s = 0; s < n; s++) {
                int offset = (s * context + last[s]) * vocab;
                tokens[s][lengths[s]++] = sampling.draw(l, offset, vocab, random[s]);
            }
            progress.accept(doneBefore + (step + 1) * n);
        }
        int[][] out = new int[n][];
        for (int s = 0; s < n; s++) {
            out[s] = java.util.Arrays.copyOfRange(tokens[s], prompts.get(s).length, lengths[s]);
        }
        return out;
    }

    /** A stream's own seed: the SplitMix64 finaliser of the seed and the stream's index. */
    static long streamSeed(long seed, int stream) {
        long z = seed * 0x9E3779B97F4A7C15L + (stream + 1L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Checks that {@code spec} is a causal sequence model.
     *
     * @throws BonsaiException naming what is not
     */
    public static void checkCausal(ModelSpec spec) {
        if (spec.inputShape().rank() != 1 || spec.outputShape().rank() != 2
                || spec.outputShape().dim(0) != spec.inputShape().dim(0)) {
            throw new BonsaiException("model '" + spec.name() + "' takes " + spec.inputShape() + " and gives "
                    + spec.outputShape() + ", but generating text needs a language model that takes [T] token ids and "
                    + "gives [T, vocabulary] logits");
        }
        checkLayers(spec.name(), spec.layers());
    }

    private static void checkLayers(String model, List<LayerSpec> layers) {
        for (LayerSpec layer : layers) {
            boolean causal = layer instanceof LayerSpec.Embedding || layer instanceof LayerSpec.PositionalEmbedding
                    || layer instanceof LayerSpec.Dropout || layer instanceof LayerSpec.LayerNorm
                    || layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Activate
                    || layer instanceof LayerSpec.CausalSelfAttention || layer instanceof LayerSpec.TransformerBlock
                    || layer instanceof LayerSpec.Residual;
            if (!causal) {
                throw new BonsaiException("model '" + model + "' has layer '" + layer.name() + "' (" + layer.kind()
                        + "), which mixes positions without a causal mask; text can be generated only from models "
                        + "whose every position sees only earlier ones");
            }
            if (layer instanceof LayerSpec.Residual r) {
                checkLayers(model, r.body());
            }
        }
    }
}
