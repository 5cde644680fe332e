package dev.bonsai.strategies.generation;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.IncrementalDecoding;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Autoregressive generation from a causal sequence model on any engine.
 *
 * <p>The model takes {@code [T]} token ids and gives {@code [T, vocab]} logits, each position seeing only itself
 * and earlier ones. A stream's window starts with its prompt's last T tokens (all of them when it is shorter) and
 * grows by each new token; when it would exceed T tokens it moves on to its last {@link #keep()} tokens (half the
 * window by default, as llama.cpp's context shift discards half; {@code keep = T} slides by one token). The window
 * is placed from position 0, as in training, and the next token is drawn from the logits at its last token.
 *
 * <p>When the network offers {@link IncrementalDecoding} and a group's prompts have one length, its streams are
 * decoded with a key/value cache: the window is primed once, each new token then costs one position's work, and a
 * window that moves on is primed again. Otherwise each token costs a forward pass ({@link Network#logits}) over the
 * whole window, padded after its end (the padding is never seen). Both give the same logits up to float rounding,
 * and so the same text for a seed. Streams are generated together, {@code batch} at a time. Each stream draws from a
 * random generator of its own, derived from the seed and the stream's index, so the text of a seed does not depend
 * on the batch size or on how many other streams are generated.
 */
public final class Generator {
    private final Network network;
    private final int context;
    private final int vocab;
    private final int keep;
    private final boolean useCache;

    /**
     * A generator for {@code network} whose windows, when full, move on to their last half ({@code T/2} tokens).
     *
     * @throws BonsaiException when the network is not a causal sequence model (input {@code [T]} token ids, output
     *                         {@code [T, vocab]}, only per-position and causal layers)
     */
    public Generator(Network network) {
        this(network, Math.max(1, network.spec().inputShape().dim(0) / 2));
    }

    /**
     * A generator for {@code network} whose windows, when full, move on to their last {@code keep} tokens.
     *
     * @param keep how many tokens a full window keeps when it moves on, 1 to T: T slides it by one token per new
     *             token (every token then costs a whole window's forward pass, cached or not), fewer let a key/value
     *             cache serve the next {@code T - keep} tokens
     * @throws BonsaiException when the network is not a causal sequence model (input {@code [T]} token ids, output
     *                         {@code [T, vocab]}, only per-position and causal layers)
     */
    public Generator(Network network, int keep) {
        this.network = network;
        ModelSpec spec = network.spec();
        checkCausal(spec);
        this.context = spec.inputShape().dim(0);
        this.vocab = spec.outputShape().dim(1);
        if (keep < 1 || keep > context) {
            throw new IllegalArgumentException("a moving window keeps 1 to " + context + " tokens, got " + keep);
        }
        this.keep = keep;
        this.useCache = true;
    }

    private Generator(Generator other, boolean useCache) {
        this.network = other.network;
        this.context = other.context;
        this.vocab = other.vocab;
        this.keep = other.keep;
        this.useCache = useCache;
    }

    /**
     * The same generator, but with a forward pass over the whole window per token even where the network offers a
     * key/value cache (to check the cache, or measure it): the same text for a seed, only slower.
     */
    public Generator withoutCache() {
        return new Generator(this, false);
    }

    /** How many tokens a full window keeps when it moves on. */
    public int keep() {
        return keep;
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
        int[] starts = new int[n];
        SplittableRandom[] random = new SplittableRandom[n];
        boolean sameLength = true;
        for (int s = 0; s < n; s++) {
            int[] prompt = prompts.get(s);
            tokens[s] = java.util.Arrays.copyOf(prompt, prompt.length + length);
            lengths[s] = prompt.length;
            starts[s] = Math.max(0, prompt.length - context);
            random[s] = new SplittableRandom(streamSeed(seed, firstStream + s));
            sameLength &= prompt.length == prompts.get(0).length;
        }
        Optional<IncrementalDecoding> cache = useCache && sameLength ? network.capability(IncrementalDecoding.class)
                : Optional.empty();
        if (cache.isPresent()) {
            try (IncrementalDecoding.Decoder decoder = cache.get().open(n)) {
                decode(decoder, tokens, lengths, starts, length, sampling, random, progress, doneBefore);
            }
        } else {
            forwardWindows(tokens, lengths, starts, length, sampling, random, progress, doneBefore);
        }
        int[][] out = new int[n][];
        for (int s = 0; s < n; s++) {
            out[s] = java.util.Arrays.copyOfRange(tokens[s], prompts.get(s).length, lengths[s]);
        }
        return out;
    }

    /** Generation with a key/value cache: streams of one length, re-primed when their window moves. */
    private void decode(IncrementalDecoding.Decoder decoder, int[][] tokens, int[] lengths, int[] starts, int length,
            Sampling sampling, SplittableRandom[] random, IntConsumer progress, int doneBefore) {
        int n = tokens.length;
        boolean primed = false;
        for (int step = 0; step < length; step++) {
            int end = lengths[0];
            int start = primed ? windowStart(starts[0], end) : starts[0];
            Tensor logits;
            if (!primed || start != starts[0]) {
                decoder.reset();
                int size = end - start;
                int[] window = new int[n * size];
                for (int s = 0; s < n; s++) {
                    starts[s] = start;
                    System.arraycopy(tokens[s], start, window, s * size, size);
                }
                logits = decoder.append(window);
                primed = true;
            } else {
                int[] last = new int[n];
                for (int s = 0; s < n; s++) {
                    last[s] = tokens[s][end - 1];
                }
                logits = decoder.append(last);
            }
            float[] l = logits.data();
            for (int s = 0; s < n; s++) {
                tokens[s][lengths[s]++] = sampling.draw(l, s * vocab, vocab, random[s]);
            }
            progress.accept(doneBefore + (step + 1) * n);
        }
    }

    /** Generation by a forward pass over each stream's whole window per token. */
    private void forwardWindows(int[][] tokens, int[] lengths, int[] starts, int length, Sampling sampling,
            SplittableRandom[] random, IntConsumer progress, int doneBefore) {
        int n = tokens.length;
        float[] window = new float[n * context];
        for (int step = 0; step < length; step++) {
            java.util.Arrays.fill(window, 0f);
            int[] last = new int[n];
            for (int s = 0; s < n; s++) {
                starts[s] = step == 0 ? starts[s] : windowStart(starts[s], lengths[s]);
                int size = lengths[s] - starts[s];
                for (int t = 0; t < size; t++) {
                    window[s * context + t] = tokens[s][starts[s] + t];
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
    }

    /**
     * Where the window for the token after {@code tokens[start .. end)} starts: where it did while it holds at most
     * {@link #context()} tokens, else at the last {@link #keep()} tokens.
     */
    private int windowStart(int start, int end) {
        return end - start > context ? end - keep : start;
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
                    || layer instanceof LayerSpec.Residual || layer instanceof LayerSpec.RmsNorm
                    || layer instanceof LayerSpec.Attention || layer instanceof LayerSpec.FeedForward
                    || layer instanceof LayerSpec.DecoderBlock || layer instanceof LayerSpec.TiedOutput;
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
