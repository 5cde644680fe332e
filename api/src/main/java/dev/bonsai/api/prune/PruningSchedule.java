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

    /**
     * The rounds that reach {@code target}; the last round's sparsity is the target.
     *
     * @param target         the final sparsity of the prunable weights, in [0, 1)
     * @param finetuneEpochs the fine-tuning epochs the descriptor asks for after each pruning round
     * @param options        the schedule's options
     */
    List<PruningStep> steps(double target, int finetuneEpochs, O options);
}
