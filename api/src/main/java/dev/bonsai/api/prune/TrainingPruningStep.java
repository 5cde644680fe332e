package dev.bonsai.api.prune;

/**
 * A pruning step inside a training run, for schedules that prune while training (gradual): after {@code step}
 * optimizer steps of the run (0: before the first), the prunable weights are pruned to {@code sparsity}, and
 * training continues at that mask.
 *
 * @param step     the number of optimizer steps of the run done before this pruning, ≥ 0
 * @param sparsity the sparsity of the prunable weights after it, in [0, 1)
 */
public record TrainingPruningStep(long step, double sparsity) {
    /** Checks the values. */
    public TrainingPruningStep {
        if (step < 0) {
            throw new IllegalArgumentException("a pruning step must be at step ≥ 0, got " + step);
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
    }
}
