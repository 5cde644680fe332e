package dev.bonsai.experiments.run;

import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.plugins.PluginRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Expands a descriptor into its trials, in a deterministic order (seed, then strategy, then sparsity), each with
 * an id that hashes what determines it: the resolved descriptor less its sweep lists and reports, plus the
 * trial's own seed, strategy and sparsity. Renaming the YAML's keys' order or spelling out a default leaves the
 * ids unchanged; changing any value that matters changes them.
 */
public final class SweepPlanner {
    private SweepPlanner() {
    }

    /** The trials of {@code descriptor}. */
    public static List<TrialSpec> plan(ExperimentDescriptor descriptor) {
        @SuppressWarnings("unchecked")
        Map<String, Object> common = new LinkedHashMap<>((Map<String, Object>) Canonical.tree(descriptor));
        common.remove("seeds");
        common.remove("report");
        common.remove("plugins"); // where a plugin's jar lies does not change what a trial computes
        if (common.get("prune") instanceof Map<?, ?> section) {
            Map<Object, Object> prune = new LinkedHashMap<>(section);
            prune.remove("strategies");
            prune.remove("sparsities");
            common.put("prune", prune);
        }
        List<TrialSpec> trials = new ArrayList<>();
        for (long seed : descriptor.seeds()) {
            if (descriptor.prune().isEmpty()) {
                trials.add(trial(common, seed, Optional.empty(), 0));
                continue;
            }
            for (PluginRef strategy : descriptor.prune().get().strategies()) {
                for (double sparsity : descriptor.prune().get().sparsities()) {
                    trials.add(trial(common, seed, Optional.of(strategy), sparsity));
                }
            }
        }
        return trials;
    }

    private static TrialSpec trial(Map<String, Object> common, long seed, Optional<PluginRef> strategy, double sparsity) {
        Map<String, Object> key = new LinkedHashMap<>(common);
        key.put("trial_seed", seed);
        key.put("trial_strategy", strategy.map(Canonical::tree).orElse(TrialSpec.NONE));
        key.put("trial_sparsity", sparsity);
        return new TrialSpec(Canonical.sha256(Canonical.json(key)).substring(0, 16), seed, strategy, sparsity);
    }
}
