package dev.bonsai.strategies.support;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.Evaluation;
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
    /** How many times {@link #logits} was called. */
    public int calls;

    /** A model of {@code context} positions and {@code vocab} tokens whose favourite gets logit {@code peak}. */
    public PrefixNetwork(int context, int vocab, float peak) {
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
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
