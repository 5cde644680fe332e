package dev.bonsai.strategies.sequencelevel;

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

/** A network that forwards everything to another; tests override what they fake. */
class ForwardingNetwork implements Network {
    private final Network inner;

    ForwardingNetwork(Network inner) {
        this.inner = inner;
    }

    @Override
    public ModelSpec spec() {
        return inner.spec();
    }

    @Override
    public String device() {
        return inner.device();
    }

    @Override
    public Weights weights() {
        return inner.weights();
    }

    @Override
    public void loadWeights(Weights weights) {
        inner.loadWeights(weights);
    }

    @Override
    public void applyMasks(MaskSet masks) {
        inner.applyMasks(masks);
    }

    @Override
    public MaskSet masks() {
        return inner.masks();
    }

    @Override
    public void clearMasks() {
        inner.clearMasks();
    }

    @Override
    public TrainingResult train(TrainingPlan plan, TrainingListener listener) {
        return inner.train(plan, listener);
    }

    @Override
    public Evaluation evaluate(Split data, int batchSize) {
        return inner.evaluate(data, batchSize);
    }

    @Override
    public Tensor logits(Batch batch) {
        return inner.logits(batch);
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return inner.capability(type);
    }

    @Override
    public void close() {
        inner.close();
    }
}
