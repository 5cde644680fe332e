package dev.bonsai.testkit.engine;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import java.util.Optional;

/**
 * A frozen model computed in plain Java by {@link HostReference}: a teacher that is not a network of the engine
 * under test, as a teacher on another engine or device is to it. It only gives logits; everything that would
 * change it is refused.
 */
public final class HostTeacher implements Network {
    private final ModelSpec spec;
    private final Weights weights;

    /** A teacher of {@code spec} with {@code weights}. */
    public HostTeacher(ModelSpec spec, Weights weights) {
        this.spec = spec;
        this.weights = weights;
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
        return weights;
    }

    @Override
    public void loadWeights(Weights newWeights) {
        throw new UnsupportedOperationException("a host teacher is frozen");
    }

    @Override
    public void applyMasks(MaskSet masks) {
        throw new UnsupportedOperationException("a host teacher is frozen");
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
        throw new UnsupportedOperationException("a host teacher is frozen");
    }

    @Override
    public Evaluation evaluate(Split data, int batchSize) {
        Batch all = data.batch(java.util.stream.IntStream.range(0, data.size()).toArray(), 0, data.size());
        return HostReference.evaluate(logits(all).data(), data.labels(), spec.outputShape().dim(-1));
    }

    @Override
    public Tensor logits(Batch batch) {
        double[] z = HostReference.logits(spec, weights, batch.features().data(), batch.size());
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = (float) z[i];
        }
        return new Tensor(spec.outputShape().prepend(batch.size()), out);
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
