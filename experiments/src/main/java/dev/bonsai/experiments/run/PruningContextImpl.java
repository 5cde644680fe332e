package dev.bonsai.experiments.run;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.strategies.probes.Capabilities;
import java.util.List;
import java.util.SplittableRandom;

/** What a strategy sees of a trial's network when it scores. */
final class PruningContextImpl implements PruningContext {
    private final Network network;
    private final Weights weights;
    private final List<ParameterSpec> prunable;
    private final List<Batch> calibration;
    private final SplittableRandom random;

    PruningContextImpl(Network network, List<ParameterSpec> prunable, List<Batch> calibration, SplittableRandom random) {
        this.network = network;
        this.weights = network.weights();
        this.prunable = List.copyOf(prunable);
        this.calibration = List.copyOf(calibration);
        this.random = random;
    }

    @Override
    public ModelSpec spec() {
        return network.spec();
    }

    @Override
    public Weights weights() {
        return weights;
    }

    @Override
    public List<ParameterSpec> prunable() {
        return prunable;
    }

    @Override
    public MaskSet currentMasks() {
        return network.masks();
    }

    @Override
    public List<Batch> calibration() {
        return calibration;
    }

    @Override
    public SplittableRandom random() {
        return random;
    }

    @Override
    public <C extends Capability> C capability(Class<C> type) {
        return Capabilities.resolve(network, type);
    }
}
