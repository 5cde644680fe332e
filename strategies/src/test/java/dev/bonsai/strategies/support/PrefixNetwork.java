package dev.bonsai.strategies.support;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.IncrementalDecoding;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import java.util.List;
import java.util.Optional;

/**
 * A causal "language model" for tests whose logits are a known function of each position's prefix: at position t
 * of a window, token {@code (w[0] + … + w[t]) mod vocab} gets logit {@code peak}, the next one {@code peak / 2} and
 * every other 0. Only {@link #logits} works.
 */
public final class PrefixNetwork implements Network {
    private final ModelSpec spec;
    private final int context;
    private final int vocab;
    private final float peak;
    private final boolean cached;
    /** How many times {@link #logits} was called. */
    public int calls;
    /** How many times a decoder was primed (appended to at position 0). */
    public int primes;
    /** How many tokens per stream decoders were given. */
    public int appended;

    /** A model of {@code context} positions and {@code vocab} tokens whose favourite gets logit {@code peak}. */
    public PrefixNetwork(int context, int vocab, float peak) {
        this(context, vocab, peak, false);
    }

    /**
     * The same model, which also offers {@link IncrementalDecoding} when {@code cached}: its decoder keeps each
     * stream's running sum, an implementation independent of {@link #logits}.
     */
    public PrefixNetwork(int context, int vocab, float peak, boolean cached) {
        this.cached = cached;
        this.context = context;
        this.vocab = vocab;
        this.peak = peak;
        this.spec = new ModelSpec("prefix", Shape.of(context), List.of(new LayerSpec.Embedding("emb", vocab, 4),
                new LayerSpec.Dense("head", vocab, false)));
    }

    /** The token the model favours after {@code prefix}. */
    public int favourite(int[] prefix) {
        long sum = 0;
        for (int t : prefix) {
            sum += t;
        }
        return (int) (sum % vocab);
    }

    @Override
    public Tensor logits(Batch batch) {
        calls++;
        int n = batch.size();
        float[] in = batch.features().data();
        float[] out = new float[n * context * vocab];
        for (int s = 0; s < n; s++) {
            long sum = 0;
            for (int t = 0; t < context; t++) {
                sum += (long) in[s * context + t];
                int base = (s * context + t) * vocab;
                int fav = (int) (sum % vocab);
                out[base + fav] = peak;
                out[base + (fav + 1) % vocab] = peak / 2;
            }
        }
        return new Tensor(Shape.of(n, context, vocab), out);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public String device() {
        return "host";
    }

    @Override
    public Weights weights() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void loadWeights(Weights weights) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void applyMasks(MaskSet masks) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MaskSet masks() {
        return MaskSet.empty();
    }

    @Override
    public void clearMasks() {
    }

    @Override
    public TrainingResult train(TrainingPlan plan, TrainingListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Evaluation evaluate(Split data, int batchSize) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        if (cached && type == IncrementalDecoding.class) {
            return Optional.of(type.cast((IncrementalDecoding) Decoder::new));
        }
        return Optional.empty();
    }

    /** Running sums per stream. */
    private final class Decoder implements IncrementalDecoding.Decoder {
        private final long[] sums;
        private int position;

        Decoder(int streams) {
            this.sums = new long[streams];
        }

        @Override
        public int streams() {
            return sums.length;
        }

        @Override
        public int position() {
            return position;
        }

        @Override
        public int capacity() {
            return context;
        }

        @Override
        public Tensor append(int[] tokens) {
            int k = tokens.length / sums.length;
            if (k == 0 || tokens.length % sums.length != 0 || position + k > context) {
                throw new IllegalArgumentException("bad append of " + tokens.length + " at " + position);
            }
            if (position == 0) {
                primes++;
            }
            appended += k;
            float[] out = new float[sums.length * vocab];
            for (int s = 0; s < sums.length; s++) {
                for (int i = 0; i < k; i++) {
                    sums[s] += tokens[s * k + i];
                }
                int fav = (int) (sums[s] % vocab);
                out[s * vocab + fav] = peak;
                out[s * vocab + (fav + 1) % vocab] = peak / 2;
            }
            position += k;
            return new Tensor(Shape.of(sums.length, vocab), out);
        }

        @Override
        public void reset() {
            java.util.Arrays.fill(sums, 0);
            position = 0;
        }

        @Override
        public void close() {
        }
    }

    @Override
    public void close() {
    }
}
