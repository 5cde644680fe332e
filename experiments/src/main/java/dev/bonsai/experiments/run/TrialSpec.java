package dev.bonsai.experiments.run;

import dev.bonsai.experiments.plugins.PluginRef;

/**
 * One trial of a sweep: a strategy at a target sparsity for a seed.
 *
 * @param id       a hash of everything that determines the trial
 * @param seed     the seed
 * @param strategy the strategy
 * @param sparsity the target sparsity
 */
public record TrialSpec(String id, long seed, PluginRef strategy, double sparsity) {
}
