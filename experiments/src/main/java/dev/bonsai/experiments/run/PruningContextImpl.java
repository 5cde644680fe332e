package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.experiments.plugins.DiscoveredPlugins;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.strategies.probes.Capabilities;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * What a strategy sees of a trial's network when it scores. It offers the strategy exactly the capabilities of the
 * requirements it declared ({@link Requirement#capability()}): asking for another is an error naming the strategy,
 * its jar, the capability and the requirement to declare, so a plugin that forgot a declaration fails at the call
 * rather than running on whatever the engine happens to provide.
 */
final class PruningContextImpl implements PruningContext {
    private final Network network;
    private final PluginRef strategy;
    private final Set<Requirement> declared;
    private final Weights weights;
    private final List<ParameterSpec> prunable;
    private final List<Batch> calibration;
    private final SplittableRandom random;

    PruningContextImpl(Network network, PluginRef strategy, Set<Requirement> declared, List<ParameterSpec> prunable,
            List<Batch> calibration, SplittableRandom random) {
        this.network = network;
        this.strategy = strategy;
        this.declared = Set.copyOf(declared);
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
        Optional<Requirement> needed = Requirement.forCapability(type);
        if (needed.isPresent() && declared.contains(needed.get())) {
            return Capabilities.resolve(network, type);
        }
        String who = "strategy '" + strategy.id() + "' (" + origin(strategy.plugin()) + ")";
        if (needed.isPresent()) {
            throw new BonsaiException(who + " asked for capability " + type.getSimpleName() + " without declaring it:"
                    + " add Requirement." + needed.get() + " to requirements(options) (it declared "
                    + new TreeSet<>(declared) + ")");
        }
        List<String> offered = new ArrayList<>();
        for (Requirement r : Requirement.values()) {
            r.capability().ifPresent(c -> offered.add(c.getSimpleName() + " (Requirement." + r + ")"));
        }
        throw new BonsaiException(who + " asked for capability " + type.getName() + ", which no Requirement stands"
                + " for, so the host does not offer it to strategies; a strategy may ask for " + String.join(", ",
                offered));
    }

    /** Where a plugin comes from, for messages: its plugin jar, or the Bonsai jar that holds it. */
    private static String origin(Plugin<?> plugin) {
        Path source = Path.of(DiscoveredPlugins.source(plugin));
        String file = source.getFileName() == null ? source.toString() : source.getFileName().toString();
        return DiscoveredPlugins.external(plugin) ? "plugin jar " + file : "built in, from " + file;
    }
}
