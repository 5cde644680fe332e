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

/** A pruning context with fixed weights, the probes a test gives it, and a seeded random stream. */
public final class FixedContext implements PruningContext {
    private final ModelSpec spec;
    private final Weights weights;
    private final MaskSet current;
    private final long seed;
    private final List<Batch> calibration;
    private final Map<Class<?>, Capability> capabilities;

    public FixedContext(ModelSpec spec, Weights weights, MaskSet current, long seed) {
        this(spec, weights, current, seed, List.of(), Map.of());
    }

    private FixedContext(ModelSpec spec, Weights weights, MaskSet current, long seed, List<Batch> calibration,
            Map<Class<?>, Capability> capabilities) {
        this.spec = spec;
        this.weights = weights;
        this.current = current;
        this.seed = seed;
        this.calibration = calibration;
        this.capabilities = capabilities;
    }

    /** The same context offering {@code capability} and the given calibration batches. */
    public <C extends Capability> FixedContext with(Class<C> type, C capability, List<Batch> batches) {
        Map<Class<?>, Capability> more = new java.util.HashMap<>(capabilities);
        more.put(type, capability);
        return new FixedContext(spec, weights, current, seed, batches, more);
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
        return new FixedContext(spec, weights, current, otherSeed, calibration, capabilities);
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
        return calibration;
    }

    @Override
    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    @Override
    public <C extends Capability> C capability(Class<C> type) {
        Capability c = capabilities.get(type);
        if (c == null) {
            throw new BonsaiException("the test context offers no " + type.getSimpleName());
        }
        return type.cast(c);
    }
}
