package dev.bonsai.experiments.run;

import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.plugins.PluginRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        @SuppressWarnings("unchecked")
        Map<String, Object> prune = new LinkedHashMap<>((Map<String, Object>) common.get("prune"));
        prune.remove("strategies");
        prune.remove("sparsities");
        common.put("prune", prune);
        List<TrialSpec> trials = new ArrayList<>();
        for (long seed : descriptor.seeds()) {
            for (PluginRef strategy : descriptor.prune().strategies()) {
                for (double sparsity : descriptor.prune().sparsities()) {
                    Map<String, Object> key = new LinkedHashMap<>(common);
                    key.put("trial_seed", seed);
                    key.put("trial_strategy", Canonical.tree(strategy));
                    key.put("trial_sparsity", sparsity);
                    trials.add(new TrialSpec(Canonical.sha256(Canonical.json(key)).substring(0, 16), seed, strategy, sparsity));
                }
            }
        }
        return trials;
    }
}
