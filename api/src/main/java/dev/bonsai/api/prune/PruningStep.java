package dev.bonsai.api.prune;

/**
 * One round of a schedule: prune to {@code sparsity} (of the prunable weights), optionally rewind the remaining
 * weights to their initial values (lottery-ticket style), then fine-tune.
 *
 * @param sparsity       the sparsity reached after this round, in [0, 1)
 * @param finetuneEpochs epochs of fine-tuning after it
 * @param rewind         whether the weights that remain are reset to the trial's initial (pre-training) values
 *                       before fine-tuning
 */
public record PruningStep(double sparsity, int finetuneEpochs, boolean rewind) {
    /** Checks the values. */
    public PruningStep {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        if (finetuneEpochs < 0) {
            throw new IllegalArgumentException("fine-tuning epochs must be ≥ 0, got " + finetuneEpochs);
        }
    }

    /** A round without rewinding. */
    public PruningStep(double sparsity, int finetuneEpochs) {
        this(sparsity, finetuneEpochs, false);
    }
}
