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
 * resolved descriptor less its sweep lists and reports, plus the trial's own engine, seed, recipe, strategy, layer
 * and sparsity. Renaming the YAML's
 * keys' order or spelling out a default leaves the ids unchanged; changing any value that matters changes them.
 * Options added to the descriptor later leave the ids of descriptors that do not use them unchanged (one engine,
 * no sensitivity analysis), so that old runs still resume. Where the trials run (the executor, the resources they ask
 * for) is not part of the ids.
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

    /** Options added to {@code train:} after trial ids were first published: left out of ids while absent. */
    private static final List<String> LATER_TRAIN_OPTIONS = List.of("augment", "max_norm");

    /**
     * The canonical tree of a {@code train:} section (as {@link Canonical#tree} makes it) without the keys of
     * options added later ({@code augment}, {@code max_norm}) that are not asked for, so that ids and hashes of
     * descriptors from before those options existed stay as they were. A new optional {@code train:} option
     * belongs in that list.
     */
    static Object withoutAbsentOptions(Object train) {
        if (!(train instanceof Map<?, ?> section)) {
            return train;
        }
        Map<Object, Object> copy = new LinkedHashMap<>(section);
        for (String key : LATER_TRAIN_OPTIONS) {
            if (copy.get(key) == null) {
                copy.remove(key);
            }
        }
        return copy;
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
        Map<String, Object> common = withoutPlacement(descriptor);
        common.remove("seeds");
        common.remove("engine");
        common.remove("report");
        common.remove("plugins"); // where a plugin's jar lies does not change what a trial computes
        common.remove("checkpoints"); // nor do the files a run writes besides its records
        common.remove("samples");
        if (common.get("prune") instanceof Map<?, ?> section) {
            Map<Object, Object> prune = new LinkedHashMap<>(section);
            prune.remove("strategies");
            prune.remove("sparsities");
            if (Boolean.FALSE.equals(prune.get("sensitivity"))) {
                prune.remove("sensitivity");
            }
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
     * The descriptor's canonical tree without the sections that say where trials run ({@code executor},
     * {@code resources}): running a sweep elsewhere changes neither its trial ids nor its hash.
     */
    static Map<String, Object> withoutPlacement(ExperimentDescriptor descriptor) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = new LinkedHashMap<>((Map<String, Object>) Canonical.tree(descriptor));
        tree.remove("executor");
        tree.remove("resources");
        tree.put("train", withoutAbsentOptions(tree.get("train")));
        if (tree.get("distill") instanceof Map<?, ?> distill && distill.get("teacher") instanceof Map<?, ?> teacher) {
            Map<Object, Object> t = new LinkedHashMap<>(teacher);
            t.put("train", withoutAbsentOptions(t.get("train")));
            Map<Object, Object> d = new LinkedHashMap<>(distill);
            d.put("teacher", t);
            tree.put("distill", d);
        }
        return tree;
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
            // The descriptor's keys in sorted order (the engine among them, as when a descriptor named one engine,
            // so that such descriptors keep their ids), then the trial's own values in this order.
            Map<String, Object> sorted = new TreeMap<>(common);
            sorted.put("engine", Canonical.tree(engine));
            Map<String, Object> key = new LinkedHashMap<>(sorted);
            layer.ifPresent(l -> key.put("trial_layer", l));
            key.put("trial_seed", seed);
            key.put("trial_strategy", strategy.map(Canonical::tree).orElse(TrialSpec.NONE));
            key.put("trial_sparsity", sparsity);
            recipe.ifPresent(r -> key.put("trial_recipe", Canonical.tree(r)));
            return new TrialSpec(Canonical.sha256(Canonical.json(key)).substring(0, 16), engine, seed, strategy,
                    label, sparsity, layer, recipe, recipeLabel);
        }
    }
}
