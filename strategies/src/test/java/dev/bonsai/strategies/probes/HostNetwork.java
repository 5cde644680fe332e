package dev.bonsai.strategies.probes;

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
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A host network for the generic probes' unit tests: it holds weights and masks as an engine does (loading zeroes
 * masked positions) and answers the capabilities a test registers, built on itself.
 */
final class HostNetwork implements Network {
    private final ModelSpec spec;
    private final Map<String, Tensor> weights = new LinkedHashMap<>();
    private final Map<Class<?>, Function<HostNetwork, ? extends Capability>> capabilities = new HashMap<>();
    private MaskSet masks = MaskSet.empty();

    HostNetwork(ModelSpec spec, Weights initial) {
        this.spec = spec;
        initial.asMap().forEach((k, v) -> weights.put(k, v.copy()));
    }

    <C extends Capability> HostNetwork with(Class<C> type, Function<HostNetwork, C> factory) {
        capabilities.put(type, factory);
        return this;
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
        return new Weights(weights).copy();
    }

    @Override
    public void loadWeights(Weights w) {
        w.asMap().forEach((k, v) -> weights.put(k, v.copy()));
        applyMasks(masks);
    }

    @Override
    public void applyMasks(MaskSet newMasks) {
        masks = newMasks;
        for (Map.Entry<String, Mask> e : newMasks.asMap().entrySet()) {
            float[] d = weights.get(e.getKey()).data();
            for (int i = 0; i < d.length; i++) {
                if (!e.getValue().kept(i)) {
                    d[i] = 0;
                }
            }
        }
    }

    @Override
    public MaskSet masks() {
        return masks;
    }

    @Override
    public void clearMasks() {
        masks = MaskSet.empty();
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
    public Tensor logits(Batch batch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        Function<HostNetwork, ? extends Capability> f = capabilities.get(type);
        return f == null ? Optional.empty() : Optional.of(type.cast(f.apply(this)));
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "HostNetwork[" + spec.name() + "]";
    }
}
