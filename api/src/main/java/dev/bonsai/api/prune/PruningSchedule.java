package dev.bonsai.api.prune;

import dev.bonsai.api.Plugin;
import java.util.List;

/**
 * When to prune: turns a target sparsity into rounds of pruning and fine-tuning (one-shot, iterative,
 * gradual…).
 *
 * @param <O> the options record
 */
public interface PruningSchedule<O extends Record> extends Plugin<O> {

    /** The rounds that reach {@code target}; the last round's sparsity is the target. */
    List<PruningStep> steps(double target, O options);
}
