package dev.bonsai.experiments.run;

import dev.bonsai.experiments.plugins.PluginRef;
import java.util.Optional;

/**
 * One trial of a sweep: a strategy at a target sparsity for a seed on an engine, or the dense model alone when the
 * experiment does not prune.
 *
 * @param id       a hash of everything that determines the trial (its {@link TrialKey} and its own values)
 * @param engine   the engine (and device) it runs on
 * @param seed     the seed
 * @param strategy the strategy; empty for a dense-only trial
 * @param strategyLabel what records and reports call the strategy: its id, with the options that tell it apart
 *                 when the descriptor lists the id more than once, e.g. {@code obd(curvature=hutchinson)}; or
 *                 {@value #NONE}
 * @param sparsity the target sparsity (0 for a dense-only trial)
 * @param layer    in a sensitivity analysis, the one layer pruned; empty otherwise
 * @param recipe   the distillation recipe the student is trained and fine-tuned with; empty without distillation
 * @param recipeLabel what records and reports call the recipe: its id (with telling options, as for strategies),
 *                 or {@value #NONE}
 */
public record TrialSpec(String id, PluginRef engine, long seed, Optional<PluginRef> strategy, String strategyLabel,
        double sparsity, Optional<String> layer, Optional<PluginRef> recipe, String recipeLabel) {

    /** What records and reports call a trial without pruning. */
    public static final String NONE = "none";
}
