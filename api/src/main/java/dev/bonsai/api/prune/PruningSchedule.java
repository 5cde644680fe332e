package dev.bonsai.api.prune;

import dev.bonsai.api.Plugin;
import java.util.List;

/**
 * When to prune: turns a target sparsity into rounds of pruning and fine-tuning (one-shot, iterative,
 * lottery-ticket…), or into pruning steps inside one fine-tuning run (gradual).
 *
 * <p>A schedule that prunes during training returns one round from {@link #steps} (the target, with the
 * descriptor's fine-tuning epochs) and the pruning steps within that round's fine-tuning from
 * {@link #duringTraining}; the host then does not prune before the round's fine-tuning but at each of those steps.
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

    /**
     * The pruning steps inside the fine-tuning of a round that prunes to {@code target}, in increasing step order
     * with the last at the target; empty (the default) for a schedule that prunes between rounds only.
     *
     * @param target        the round's sparsity, in [0, 1)
     * @param stepsPerEpoch optimizer steps per epoch of the fine-tuning
     * @param epochs        the round's fine-tuning epochs
     * @param options       the schedule's options
     * @throws dev.bonsai.api.BonsaiException when the options do not fit a training of that length, saying which
     *                                        option to change
     */
    default List<TrainingPruningStep> duringTraining(double target, long stepsPerEpoch, int epochs, O options) {
        return List.of();
    }
}
