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
import dev.bonsai.strategies.structure.GroupKind;
import dev.bonsai.strategies.structure.PruningGroup;
import dev.bonsai.strategies.structure.PruningGroups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which weights a trial prunes, and to what: the weight matrices and kernels of the model, less the excluded
 * layers; under a structure that removes whole units, the parameters its pruning groups are scored on (see
 * {@link PruningGroups}), less the groups of excluded layers and of the layer that produces the model's outputs.
 * Layers with an override reach their own target layerwise, the rest the trial's target under the descriptor's scope.
 * In a schedule's earlier rounds an override's target is scaled like the trial's.
 */
final class PrunableSet {
    private final List<ParameterSpec> all;
    private final List<ParameterSpec> shared;
    private final Map<ParameterSpec, Double> own;

    /** The pruning groups under a structure that removes whole units; null otherwise. */
    private final PruningGroups groups;
    /** The layers whose groups reach the trial's target, in model order (structured only). */
    private final List<String> sharedLayers;
    /** The layers whose groups reach their own target (structured only). */
    private final Map<String, Double> ownLayers;

    private PrunableSet(List<ParameterSpec> all, List<ParameterSpec> shared, Map<ParameterSpec, Double> own,
            PruningGroups groups, List<String> sharedLayers, Map<String, Double> ownLayers) {
        this.all = all;
        this.shared = shared;
        this.own = own;
        this.groups = groups;
        this.sharedLayers = sharedLayers;
        this.ownLayers = ownLayers;
    }

    /**
     * The prunable set of {@code spec}.
     *
     * @throws BonsaiException when an excluded or overridden layer is not in the model, or has no weights; under a
     *                         structure that removes whole units, when the model has no layer whose units can be
     *                         removed, or an override names a layer that is not one (or the structure selects over
     *                         the whole model)
     */
    static PrunableSet of(ModelSpec spec, List<String> exclude, List<LayerOverride> overrides, Structure structure) {
        Set<String> layers = new LinkedHashSet<>();
        List<ParameterSpec> weights = spec.parameters(ParameterRole.WEIGHT);
        weights.forEach(p -> layers.add(p.layer()));
        PruningGroups groups = structure instanceof Structure.Groups g ? PruningGroups.of(spec, g.unit()) : null;
        Set<String> known = new LinkedHashSet<>(layers);
        if (groups != null) {
            known.addAll(groups.layers().keySet());
        }
        List<String> named = new ArrayList<>(exclude);
        overrides.forEach(o -> named.add(o.layer()));
        for (String layer : named) {
            if (!known.contains(layer)) {
                throw new BonsaiException("prune names layer '" + layer + "', which has no prunable weights in model '"
                        + spec.name() + "' (layers with weights: " + String.join(", ", layers) + "; all layers: "
                        + String.join(", ", spec.layers().stream().map(LayerSpec::name).toList()) + ")");
            }
        }
        if (groups != null) {
            return ofGroups(spec, exclude, overrides, groups, weights.get(weights.size() - 1).layer());
        }
        List<ParameterSpec> all = new ArrayList<>();
        List<ParameterSpec> shared = new ArrayList<>();
        Map<ParameterSpec, Double> own = new LinkedHashMap<>();
        for (ParameterSpec p : weights) {
            if (exclude.contains(p.layer())) {
                continue;
            }
            all.add(p);
            overrides.stream().filter(o -> o.layer().equals(p.layer())).findFirst()
                    .ifPresentOrElse(o -> own.put(p, o.sparsity()), () -> shared.add(p));
        }
        if (all.isEmpty()) {
            throw new BonsaiException("prune.exclude leaves no weights to prune in model '" + spec.name() + "'");
        }
        return new PrunableSet(List.copyOf(all), List.copyOf(shared), own, null, List.of(), Map.of());
    }

    /** The set under a structure that removes whole units: the groups' layers and their scored parameters. */
    private static PrunableSet ofGroups(ModelSpec spec, List<String> exclude, List<LayerOverride> overrides,
            PruningGroups groups, String outputLayer) {
        GroupKind kind = groups.kind();
        if (groups.layers().isEmpty()) {
            throw new BonsaiException("structure '" + kind.name() + "' removes " + kind.description() + ", but model '"
                    + spec.name() + "' has none" + (groups.excluded().isEmpty() ? "" : " that can be removed: "
                    + describe(groups.excluded())) + "; use another structure or 'unstructured'");
        }
        if (kind.pooled() && !overrides.isEmpty()) {
            throw new BonsaiException("prune.overrides names layer '" + overrides.get(0).layer() + "', but structure '"
                    + kind.name() + "' selects " + kind.unitName() + "s over the whole model, so no layer can have "
                    + "its own target; remove prune.overrides or exclude the " + kind.unitName() + " instead");
        }
        for (LayerOverride o : overrides) {
            if (groups.excluded().containsKey(o.layer())) {
                throw new BonsaiException("prune.overrides names layer '" + o.layer() + "', whose " + kind.unitName()
                        + "s cannot be removed: " + groups.excluded().get(o.layer()) + " (" + kind.layerName()
                        + "s whose " + kind.unitName() + "s can: " + String.join(", ", groups.layers().keySet()) + ")");
            }
            if (!groups.layers().containsKey(o.layer())) {
                throw new BonsaiException("prune.overrides names layer '" + o.layer() + "', but structure '"
                        + kind.name() + "' removes " + kind.description() + " only ("
                        + String.join(", ", groups.layers().keySet()) + ")");
            }
        }
        Set<String> names = new LinkedHashSet<>();
        List<String> sharedLayers = new ArrayList<>();
        Map<String, Double> ownLayers = new LinkedHashMap<>();
        for (String layer : groups.layers().keySet()) {
            List<String> scored = groups.scoredParameters(layer);
            boolean left = exclude.contains(layer) || scored.stream().map(p -> spec.parameter(p).layer())
                    .anyMatch(l -> exclude.contains(l) || l.equals(outputLayer));
            if (left) {
                continue;
            }
            names.addAll(scored);
            overrides.stream().filter(o -> o.layer().equals(layer)).findFirst()
                    .ifPresentOrElse(o -> ownLayers.put(layer, o.sparsity()), () -> sharedLayers.add(layer));
        }
        if (names.isEmpty()) {
            throw new BonsaiException("prune.exclude leaves no " + kind.unitName() + "s to prune in model '"
                    + spec.name() + "'");
        }
        List<ParameterSpec> all = new ArrayList<>();
        List<ParameterSpec> shared = new ArrayList<>();
        Map<ParameterSpec, Double> own = new LinkedHashMap<>();
        Map<String, String> layerOf = new LinkedHashMap<>();
        for (String layer : groups.layers().keySet()) {
            groups.scoredParameters(layer).forEach(p -> layerOf.putIfAbsent(p, layer));
        }
        for (ParameterSpec p : spec.parameters().values()) {
            if (!names.contains(p.name())) {
                continue;
            }
            all.add(p);
            Double sparsity = ownLayers.get(layerOf.get(p.name()));
            if (sparsity == null) {
                shared.add(p);
            } else {
                own.put(p, sparsity);
            }
        }
        return new PrunableSet(List.copyOf(all), List.copyOf(shared), own, groups, List.copyOf(sharedLayers),
                ownLayers);
    }

    /**
     * Refuses, before any work, targets that must remove every unit of a layer, for the kinds that refuse them
     * before a run ({@link GroupKind#refusesEmptyingTargetsBeforeRun}): under layerwise scope a layer whose
     * {@code round(target × units)} is all its units (an override's own target likewise); under global scope (and
     * for kinds selected over the whole model) a target that prunes more units than leave each layer (the model)
     * one. Other structures take every target.
     *
     * @throws BonsaiException naming the layer and the target
     */
    void checkTargets(List<Double> sparsities, Scope scope) {
        if (groups == null || !groups.kind().refusesEmptyingTargetsBeforeRun() || sparsities.isEmpty()) {
            return;
        }
        double top = sparsities.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        GroupKind kind = groups.kind();
        if (kind.pooled() || scope == Scope.GLOBAL) {
            long total = sharedLayers.stream().mapToLong(l -> groups.layers().get(l).size()).sum();
            int keep = kind.pooled() ? 1 : sharedLayers.size();
            if (Math.round(top * total) > total - keep) {
                throw new BonsaiException("sparsity " + top + " of the " + total + " " + kind.unitName() + "s of "
                        + sharedLayers + " removes " + Math.round(top * total) + " of them, leaving "
                        + (kind.pooled() ? "the model without a " + kind.unitName() : "some " + kind.layerName()
                        + " without a " + kind.unitName()) + "; " + (kind.pooled() ? "the model" : "every layer")
                        + " must keep at least one: lower the sparsity below " + (total - keep + 0.5) / total);
            }
        } else {
            sharedLayers.forEach(layer -> checkLayer(layer, top));
        }
        ownLayers.forEach(this::checkLayer);
    }

    private void checkLayer(String layer, double target) {
        GroupKind kind = groups.kind();
        int count = groups.layers().get(layer).size();
        if (Math.round(target * count) >= count) {
            throw new BonsaiException("sparsity " + target + " of the " + count + " " + kind.unitName() + "s of "
                    + kind.layerName() + " '" + layer + "' removes all of them (" + target + " × " + count
                    + " rounds to " + Math.round(target * count) + "); every layer must keep at least one "
                    + kind.unitName() + ": lower the sparsity or give the layer its own in prune.overrides");
        }
    }

    private static String describe(Map<String, String> excluded) {
        List<String> parts = new ArrayList<>();
        excluded.forEach((layer, why) -> parts.add("'" + layer + "': " + why));
        return String.join("; ", parts);
    }

    /**
     * The layers of the structure's kind whose units cannot be removed, with the reason; they are left out of the
     * set (empty for unstructured and N:M pruning).
     */
    Map<String, String> excludedLayers() {
        return groups == null ? Map.of() : groups.excluded();
    }

    /** The structure's kind, or null for unstructured and N:M pruning. */
    GroupKind kind() {
        return groups == null ? null : groups.kind();
    }

    /** The names of the layers pruned (under a structure, the layers whose units are pruned), in model order. */
    List<String> layers() {
        if (groups != null) {
            List<String> out = new ArrayList<>(sharedLayers);
            out.addAll(ownLayers.keySet());
            return groups.layers().keySet().stream().filter(out::contains).toList();
        }
        return all.stream().map(ParameterSpec::layer).distinct().toList();
    }

    /** The part of this set in {@code layer}, pruned to the trial's target alone (for sensitivity analysis). */
    PrunableSet onlyLayer(String layer) {
        if (groups != null) {
            if (!layers().contains(layer)) {
                throw new BonsaiException("layer '" + layer + "' has no prunable " + groups.kind().unitName()
                        + "s; prunable layers: " + layers());
            }
            List<String> scored = groups.scoredParameters(layer);
            List<ParameterSpec> in = all.stream().filter(p -> scored.contains(p.name())).toList();
            return new PrunableSet(in, in, Map.of(), groups, List.of(layer), Map.of());
        }
        List<ParameterSpec> in = all.stream().filter(p -> p.layer().equals(layer)).toList();
        if (in.isEmpty()) {
            throw new BonsaiException("layer '" + layer + "' has no prunable weights; prunable layers: " + layers());
        }
        return new PrunableSet(in, in, Map.of(), null, List.of(), Map.of());
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
     * The masks of one round: the shared parameters (or layers' groups) at {@code roundSparsity} under {@code scope},
     * each overridden one at its own target times {@code roundSparsity / target}, keeping {@code current}'s pruned
     * positions.
     */
    MaskSet select(MaskSelector selector, Scores scores, MaskSet current, double roundSparsity, double target,
            Scope scope, Structure structure) {
        MaskSet masks = current;
        if (groups != null) {
            if (!sharedLayers.isEmpty()) {
                masks = groups.select(selector, scores, sharedLayers, masks, roundSparsity, scope);
            }
            for (Map.Entry<String, Double> e : ownLayers.entrySet()) {
                double sparsity = target == 0 ? e.getValue() : e.getValue() * roundSparsity / target;
                masks = groups.select(selector, scores, List.of(e.getKey()), masks, sparsity, Scope.LAYERWISE);
            }
            return masks;
        }
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

    /** The groups of {@code layer}, for tests. */
    List<PruningGroup> groupsOf(String layer) {
        return groups.groupsOf(layer);
    }
}
