package dev.bonsai.strategies.support;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A pruning context with fixed weights, no probes and a seeded random stream. */
public final class FixedContext implements PruningContext {
    private final ModelSpec spec;
    private final Weights weights;
    private final MaskSet current;
    private final long seed;

    public FixedContext(ModelSpec spec, Weights weights, MaskSet current, long seed) {
        this.spec = spec;
        this.weights = weights;
        this.current = current;
        this.seed = seed;
    }

    /**
     * A model of bias-free dense layers {@code a, b, …} whose weights are the given row-major arrays; layer i has
     * {@code outs[i]} outputs and the input has {@code inputs} features.
     */
    public static FixedContext dense(int inputs, int[] outs, float[][] data, long seed) {
        List<LayerSpec> layers = new java.util.ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            layers.add(new LayerSpec.Dense(String.valueOf((char) ('a' + i)), outs[i], false));
        }
        ModelSpec spec = new ModelSpec("test", Shape.of(inputs), layers);
        Map<String, Tensor> w = new LinkedHashMap<>();
        int i = 0;
        for (ParameterSpec p : spec.parameters().values()) {
            w.put(p.name(), new Tensor(p.shape(), data[i++]));
        }
        return new FixedContext(spec, new Weights(w), MaskSet.empty(), seed);
    }

    /** The same weights and masks with another seed. */
    public FixedContext withSeed(long otherSeed) {
        return new FixedContext(spec, weights, current, otherSeed);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Weights weights() {
        return weights;
    }

    @Override
    public List<ParameterSpec> prunable() {
        return spec.parameters(ParameterRole.WEIGHT);
    }

    @Override
    public MaskSet currentMasks() {
        return current;
    }

    @Override
    public List<Batch> calibration() {
        return List.of();
    }

    @Override
    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    @Override
    public <C extends Capability> C capability(Class<C> type) {
        throw new BonsaiException("the test context offers no " + type.getSimpleName());
    }
}
