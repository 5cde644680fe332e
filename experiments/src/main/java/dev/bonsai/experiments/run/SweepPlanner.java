package dev.bonsai.experiments.run;

import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.plugins.PluginRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Expands a descriptor into its trials, in a deterministic order (engine, seed, recipe when it distils, strategy,
 * then, in a sensitivity analysis, layer, then sparsity), each with an id that hashes what determines it: the
 * descriptor's {@link TrialKey} less its sweep's axes, its outputs and where plugins' jars lie, plus the trial's own
 * engine, seed, recipe, strategy, layer and sparsity. Reordering the YAML's keys or spelling out a default leaves the
 * ids unchanged, and so does an option added with a default; changing any value that matters changes them. Where the
 * trials run (the executor, the resources they ask for) is not part of the ids.
 */
public final class SweepPlanner {
    private SweepPlanner() {
    }

    /** The trials of {@code descriptor}, which must not ask for a sensitivity analysis (that needs the layers). */
    public static List<TrialSpec> plan(ExperimentDescriptor descriptor) {
        if (sensitivity(descriptor)) {
            throw new IllegalStateException("a sensitivity analysis is planned with the model's prunable layers");
        }
        return plan(descriptor, List.of());
    }

    /** Whether {@code descriptor} asks for a sensitivity analysis: one trial per prunable layer. */
    public static boolean sensitivity(ExperimentDescriptor descriptor) {
        return descriptor.prune().map(ExperimentDescriptor.PruneSection::sensitivity).orElse(false);
    }

    /**
     * The trials of {@code descriptor}; in a sensitivity analysis, for each strategy one trial per layer of
     * {@code layers} (the prunable layers, in model order) and sparsity.
     */
    public static List<TrialSpec> plan(ExperimentDescriptor descriptor, List<String> layers) {
        List<Optional<String>> each = sensitivity(descriptor)
                ? layers.stream().map(Optional::of).toList() : List.of(Optional.empty());
        Map<String, Object> common = TrialKey.descriptor(descriptor);
        common.remove("seeds"); // the sweep's axes, which each trial fixes for itself
        common.remove("engine");
        common.remove("report"); // the reports are written from the records
        common.remove("plugins"); // where a plugin's jar lies does not change what a trial computes
        common.remove("checkpoints"); // nor do the files a run writes besides its records
        common.remove("samples");
        if (common.get("prune") instanceof Map<?, ?> section) {
            Map<Object, Object> prune = new LinkedHashMap<>(section);
            prune.remove("strategies");
            prune.remove("sparsities");
            common.put("prune", prune);
        }
        if (common.get("distill") instanceof Map<?, ?> section) {
            Map<Object, Object> distill = new LinkedHashMap<>(section);
            distill.remove("recipes");
            distill.remove("recipe");
            common.put("distill", distill);
        }
        List<TrialSpec> trials = new ArrayList<>();
        List<PluginRef> strategies = descriptor.prune().map(p -> p.strategies()).orElse(List.of());
        List<Optional<PluginRef>> recipes = descriptor.distill()
                .map(d -> d.allRecipes().stream().map(Optional::of).toList())
                .orElse(List.of(Optional.empty()));
        List<PluginRef> allRecipes = descriptor.distill().map(d -> d.allRecipes()).orElse(List.of());
        for (PluginRef engine : descriptor.engine()) {
            for (long seed : descriptor.seeds()) {
                for (Optional<PluginRef> recipe : recipes) {
                    Trial t = new Trial(common, engine, seed, recipe,
                            recipe.map(r -> label(r, allRecipes)).orElse(TrialSpec.NONE));
                    if (descriptor.prune().isEmpty()) {
                        trials.add(t.of(Optional.empty(), TrialSpec.NONE, 0, Optional.empty()));
                        continue;
                    }
                    for (PluginRef strategy : strategies) {
                        for (Optional<String> layer : each) {
                            for (double sparsity : descriptor.prune().get().sparsities()) {
                                trials.add(t.of(Optional.of(strategy), label(strategy, strategies), sparsity, layer));
                            }
                        }
                    }
                }
            }
        }
        return trials;
    }

    /**
     * The id alone, or with the options in which it differs from the other entries of the same id (strategies
     * and recipes alike).
     */
    static String label(PluginRef strategy, List<PluginRef> all) {
        List<PluginRef> same = all.stream().filter(s -> s.id().equals(strategy.id())).toList();
        if (same.size() < 2) {
            return strategy.id();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> mine = (Map<String, Object>) Canonical.tree(strategy.options());
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(mine).entrySet()) {
            boolean differs = same.stream().anyMatch(s -> !java.util.Objects.equals(
                    ((Map<?, ?>) Canonical.tree(s.options())).get(e.getKey()), e.getValue()));
            if (differs) {
                parts.add(e.getKey() + "=" + e.getValue());
            }
        }
        return strategy.id() + "(" + String.join(", ", parts) + ")";
    }

    /** What a student's trials share: engine, seed and recipe. */
    private record Trial(Map<String, Object> common, PluginRef engine, long seed, Optional<PluginRef> recipe,
            String recipeLabel) {
        TrialSpec of(Optional<PluginRef> strategy, String label, double sparsity, Optional<String> layer) {
            // The descriptor's keys, the trial's engine under "engine" as in a descriptor naming that one engine,
            // then the trial's own values (the JSON text sorts every map's keys: the order here does not matter).
            Map<String, Object> sorted = new TreeMap<>(common);
            sorted.put("engine", TrialKey.plugin(engine));
            Map<String, Object> key = new LinkedHashMap<>(sorted);
            layer.ifPresent(l -> key.put("trial_layer", l));
            key.put("trial_seed", seed);
            key.put("trial_strategy", strategy.map(TrialKey::plugin).orElse(TrialSpec.NONE));
            key.put("trial_sparsity", sparsity);
            recipe.ifPresent(r -> key.put("trial_recipe", TrialKey.plugin(r)));
            return new TrialSpec(Canonical.sha256(Canonical.json(key)).substring(0, 16), engine, seed, strategy,
                    label, sparsity, layer, recipe, recipeLabel);
        }
    }
}
