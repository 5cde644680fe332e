package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.MaskTarget;
import dev.bonsai.api.prune.PruningOutcome;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.LayerOverride;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.structure.AttentionHeads;
import dev.bonsai.strategies.structure.ChannelGroups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which weights a trial prunes, and to what: the weight matrices and kernels of the model, less the excluded
 * layers (and, when whole neurons are removed, less the output layer; when channels are removed, only the kernels
 * of the conv layers whose channels can go, see {@link ChannelGroups}; when heads are removed, the query/key/value
 * and output projections of the attention layers, see {@link AttentionHeads}); layers with an override reach their own
 * target layerwise, the rest the trial's target under the descriptor's scope. In a schedule's earlier rounds an
 * override's target is scaled like the trial's.
 */
final class PrunableSet {
    private final List<ParameterSpec> all;
    private final List<ParameterSpec> shared;
    private final Map<ParameterSpec, Double> own;

    private final Map<String, String> excludedChannels;
    /** The attention layers under {@code structure: heads}, whose heads are selected as units; null otherwise. */
    private final AttentionHeads heads;

    private PrunableSet(List<ParameterSpec> all, List<ParameterSpec> shared, Map<ParameterSpec, Double> own,
            Map<String, String> excludedChannels, AttentionHeads heads) {
        this.all = all;
        this.shared = shared;
        this.own = own;
        this.excludedChannels = excludedChannels;
        this.heads = heads;
    }

    /**
     * The prunable set of {@code spec}.
     *
     * @throws BonsaiException when an excluded or overridden layer is not in the model, or has no weights; for
     *                         channels, when no conv's channels can be removed or an override names a layer whose
     *                         channels cannot; for heads, when the model has no attention layer or an
     *                         override names a layer that is not one
     */
    static PrunableSet of(ModelSpec spec, List<String> exclude, List<LayerOverride> overrides, Structure structure) {
        Set<String> layers = new LinkedHashSet<>();
        List<ParameterSpec> weights = spec.parameters(ParameterRole.WEIGHT);
        weights.forEach(p -> layers.add(p.layer()));
        List<String> named = new ArrayList<>(exclude);
        overrides.forEach(o -> named.add(o.layer()));
        for (String layer : named) {
            if (!layers.contains(layer)) {
                throw new BonsaiException("prune names layer '" + layer + "', which has no prunable weights in model '"
                        + spec.name() + "' (layers with weights: " + String.join(", ", layers) + "; all layers: "
                        + String.join(", ", spec.layers().stream().map(LayerSpec::name).toList()) + ")");
            }
        }
        List<ParameterSpec> all = new ArrayList<>();
        List<ParameterSpec> shared = new ArrayList<>();
        Map<ParameterSpec, Double> own = new LinkedHashMap<>();
        boolean channels = structure instanceof Structure.Groups g && g.unit() == Structure.Unit.CHANNELS;
        ChannelGroups groups = channels ? ChannelGroups.of(spec) : null;
        if (channels) {
            checkChannels(spec, groups, overrides);
        }
        AttentionHeads attention = structure instanceof Structure.Groups g && g.unit() == Structure.Unit.HEADS
                ? AttentionHeads.of(spec) : null;
        if (attention != null) {
            checkHeads(spec, attention, overrides);
        }
        // removing neurons of the layer that produces the model's outputs would remove outputs
        String outputLayer = structure instanceof Structure.Groups ? weights.get(weights.size() - 1).layer() : null;
        // neurons are the units of the model's own dense layers, the only ones NeuronCompaction removes
        boolean neurons = structure instanceof Structure.Groups g && g.unit() == Structure.Unit.NEURONS;
        Set<String> denseLayers = new LinkedHashSet<>();
        spec.layers().stream().filter(l -> l instanceof LayerSpec.Dense).forEach(l -> denseLayers.add(l.name()));
        for (LayerOverride o : overrides) {
            if (neurons && !denseLayers.contains(o.layer())) {
                throw new BonsaiException("prune.overrides names layer '" + o.layer() + "', but structure 'neurons' "
                        + "removes neurons of dense layers only (" + String.join(", ", denseLayers) + ")");
            }
        }
        for (ParameterSpec p : weights) {
            if (exclude.contains(p.layer()) || p.layer().equals(outputLayer)
                    || (channels && !groups.removable().containsKey(p.layer()))
                    || (neurons && !denseLayers.contains(p.layer()))
                    || (attention != null && !attention.layers().containsKey(p.layer()))) {
                continue;
            }
            all.add(p);
            overrides.stream().filter(o -> o.layer().equals(p.layer())).findFirst()
                    .ifPresentOrElse(o -> own.put(p, o.sparsity()), () -> shared.add(p));
        }
        if (all.isEmpty()) {
            throw new BonsaiException("prune.exclude leaves no weights to prune in model '" + spec.name() + "'");
        }
        return new PrunableSet(List.copyOf(all), List.copyOf(shared), own,
                channels ? groups.excluded() : Map.of(), attention);
    }

    /**
     * Refuses, before any work, head-pruning targets that must remove every head of an attention layer: under
     * layerwise scope a layer whose {@code round(target × heads)} is all its heads (an override's own target
     * likewise); under global scope a target that prunes more heads than all layers but one head each can give.
     * Other structures take every target.
     *
     * @throws BonsaiException naming the layer and the target
     */
    void checkTargets(List<Double> sparsities, Scope scope) {
        if (heads == null || sparsities.isEmpty()) {
            return;
        }
        double top = sparsities.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        List<String> sharedLayers = shared.stream().map(ParameterSpec::layer).distinct().toList();
        if (scope == Scope.GLOBAL) {
            long total = sharedLayers.stream().mapToLong(l -> heads.layers().get(l).heads()).sum();
            if (Math.round(top * total) > total - sharedLayers.size()) {
                throw new BonsaiException("sparsity " + top + " of the " + total + " heads of " + sharedLayers
                        + " removes " + Math.round(top * total) + " of them, leaving some attention layer without a "
                        + "head; every layer must keep at least one: lower the sparsity below "
                        + (total - sharedLayers.size() + 0.5) / total);
            }
        } else {
            sharedLayers.forEach(layer -> checkLayer(layer, top));
        }
        Map<String, Double> ownLayers = new LinkedHashMap<>();
        own.forEach((p, sparsity) -> ownLayers.put(p.layer(), sparsity));
        ownLayers.forEach(this::checkLayer);
    }

    private void checkLayer(String layer, double target) {
        int count = heads.layers().get(layer).heads();
        if (Math.round(target * count) >= count) {
            throw new BonsaiException("sparsity " + target + " of the " + count + " heads of attention layer '" + layer
                    + "' removes all of them (" + target + " × " + count + " rounds to " + Math.round(target * count)
                    + "); every layer must keep at least one head: lower the sparsity or give the layer its own in "
                    + "prune.overrides");
        }
    }

    /** Head pruning needs an attention layer, and overrides only of attention layers. */
    private static void checkHeads(ModelSpec spec, AttentionHeads attention, List<LayerOverride> overrides) {
        if (attention.layers().isEmpty()) {
            throw new BonsaiException("structure 'heads' removes heads of attention layers, but model '" + spec.name()
                    + "' has none; use 'neurons', 'channels' or 'unstructured'");
        }
        for (LayerOverride o : overrides) {
            if (!attention.layers().containsKey(o.layer())) {
                throw new BonsaiException("prune.overrides names layer '" + o.layer() + "', but structure 'heads' "
                        + "removes heads of attention layers only (" + String.join(", ", attention.layers().keySet())
                        + ")");
            }
        }
    }

    /** Channel pruning needs a conv whose channels can go, and overrides only of such convs. */
    private static void checkChannels(ModelSpec spec, ChannelGroups groups, List<LayerOverride> overrides) {
        if (groups.removable().isEmpty()) {
            throw new BonsaiException("structure 'channels' removes output channels of conv layers, but model '"
                    + spec.name() + "' has none that can be removed" + (groups.excluded().isEmpty() ? " (it has no "
                    + "conv layers)" : ": " + describe(groups.excluded())) + "; use 'neurons' or 'unstructured'");
        }
        for (LayerOverride o : overrides) {
            if (!groups.removable().containsKey(o.layer())) {
                String why = groups.excluded().containsKey(o.layer()) ? groups.excluded().get(o.layer())
                        : "it is not a conv layer";
                throw new BonsaiException("prune.overrides names layer '" + o.layer() + "', whose channels cannot be "
                        + "removed: " + why + " (conv layers whose channels can: "
                        + String.join(", ", groups.removable().keySet()) + ")");
            }
        }
    }

    private static String describe(Map<String, String> excluded) {
        List<String> parts = new ArrayList<>();
        excluded.forEach((layer, why) -> parts.add("'" + layer + "': " + why));
        return String.join("; ", parts);
    }

    /**
     * The conv layers whose channels cannot be removed, with the reason, under {@code structure: channels}; they are
     * left out of the set (empty for other structures).
     */
    Map<String, String> excludedChannels() {
        return excludedChannels;
    }

    /** The names of the layers with prunable parameters, in model order. */
    List<String> layers() {
        return all.stream().map(ParameterSpec::layer).distinct().toList();
    }

    /** The part of this set in {@code layer}, pruned to the trial's target alone (for sensitivity analysis). */
    PrunableSet onlyLayer(String layer) {
        List<ParameterSpec> in = all.stream().filter(p -> p.layer().equals(layer)).toList();
        if (in.isEmpty()) {
            throw new BonsaiException("layer '" + layer + "' has no prunable weights; prunable layers: " + layers());
        }
        return new PrunableSet(in, in, Map.of(), excludedChannels, heads);
    }

    /** Every parameter that may be pruned, in model order. */
    List<ParameterSpec> parameters() {
        return all;
    }

    /** Whether {@code name} may be pruned. */
    boolean contains(String name) {
        return all.stream().anyMatch(p -> p.name().equals(name));
    }

    /**
     * The masks of one round: the shared parameters at {@code roundSparsity} under {@code scope}, each overridden
     * one at its own target times {@code roundSparsity / target}, keeping {@code current}'s pruned positions.
     */
    MaskSet select(MaskSelector selector, Scores scores, MaskSet current, double roundSparsity, double target,
            Scope scope, Structure structure) {
        if (heads != null) {
            return selectHeads(selector, scores, current, roundSparsity, target, scope);
        }
        MaskSet masks = current;
        if (!shared.isEmpty()) {
            masks = selector.select(scores, shared, masks, roundSparsity, scope, structure);
        }
        for (Map.Entry<ParameterSpec, Double> e : own.entrySet()) {
            double sparsity = target == 0 ? e.getValue() : e.getValue() * roundSparsity / target;
            masks = selector.select(scores, List.of(e.getKey()), masks, sparsity, Scope.LAYERWISE, structure);
        }
        return masks;
    }

    /**
     * The target of one round for a strategy that selects its own masks: each shared parameter at
     * {@code roundSparsity}, each overridden one at its own target times {@code roundSparsity / target}. Such a
     * strategy meets its targets parameter by parameter, so only a layerwise {@code scope} is accepted.
     *
     * @throws BonsaiException for another scope, naming the strategy
     */
    MaskTarget target(String strategy, double roundSparsity, double target, Scope scope, Structure structure) {
        if (scope != Scope.LAYERWISE) {
            throw new BonsaiException("strategy '" + strategy + "' selects its own masks parameter by parameter, so it"
                    + " meets the target layerwise; scope '" + scope.name().toLowerCase(java.util.Locale.ROOT)
                    + "' cannot apply to it (the strategy should declare the layerwise scope)");
        }
        Map<String, Double> sparsities = new LinkedHashMap<>();
        shared.forEach(p -> sparsities.put(p.name(), roundSparsity));
        own.forEach((p, s) -> sparsities.put(p.name(), target == 0 ? s : s * roundSparsity / target));
        return new MaskTarget(sparsities, structure);
    }

    /**
     * The masks a strategy that selects its own returned, checked against this set: a mask of the parameter's shape
     * for every prunable parameter, every position pruned in {@code current} still pruned, and weights only of the
     * model's parameters; the masks of {@code current} for other parameters are carried over.
     *
     * @throws BonsaiException naming the strategy and the first parameter that fails
     */
    MaskSet accept(String strategy, PruningOutcome outcome, MaskSet current, ModelSpec spec) {
        Map<String, Mask> out = new LinkedHashMap<>();
        for (ParameterSpec p : all) {
            Mask mask = outcome.masks().get(p.name()).orElseThrow(() -> new BonsaiException("strategy '" + strategy
                    + "' returned no mask for prunable parameter '" + p.name() + "'; it returned masks for "
                    + outcome.masks().asMap().keySet()));
            if (!mask.shape().equals(p.shape())) {
                throw new BonsaiException("strategy '" + strategy + "' returned a mask of shape " + mask.shape()
                        + " for '" + p.name() + "', which has shape " + p.shape());
            }
            current.get(p.name()).ifPresent(before -> {
                java.util.BitSet revived = mask.keptBits();
                revived.andNot(before.keptBits());
                if (!revived.isEmpty()) {
                    throw new BonsaiException("strategy '" + strategy + "' kept " + revived.cardinality()
                            + " position(s) of '" + p.name() + "' that an earlier round pruned, the first at element "
                            + revived.nextSetBit(0) + "; pruned weights must stay pruned");
                }
            });
            out.put(p.name(), mask);
        }
        current.asMap().forEach(out::putIfAbsent);
        try {
            outcome.weights().checkFitsPartOf(spec);
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("strategy '" + strategy + "' returned weights that do not fit model '"
                    + spec.name() + "': " + e.getMessage(), e);
        }
        return new MaskSet(out);
    }

    /** {@link #select} for heads: the units of a layer span its parameters, so layers are selected whole. */
    private MaskSet selectHeads(MaskSelector selector, Scores scores, MaskSet current, double roundSparsity,
            double target, Scope scope) {
        MaskSet masks = current;
        List<String> sharedLayers = shared.stream().map(ParameterSpec::layer).distinct().toList();
        if (!sharedLayers.isEmpty()) {
            masks = heads.select(selector, scores, sharedLayers, masks, roundSparsity, scope);
        }
        Map<String, Double> ownLayers = new LinkedHashMap<>();
        own.forEach((p, sparsity) -> ownLayers.put(p.layer(), sparsity));
        for (Map.Entry<String, Double> e : ownLayers.entrySet()) {
            double sparsity = target == 0 ? e.getValue() : e.getValue() * roundSparsity / target;
            masks = heads.select(selector, scores, List.of(e.getKey()), masks, sparsity, Scope.LAYERWISE);
        }
        return masks;
    }
}
