package dev.bonsai.api.engine;

import dev.bonsai.api.data.Augmentation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to train.
 *
 * @param epochs       passes over the training split
 * @param batchSize    samples per step; the last, smaller batch of an epoch is dropped
 * @param optimizer    the optimizer
 * @param schedule     the learning-rate schedule
 * @param gradientClip the largest global gradient L2 norm, or 0 for no clipping
 * @param loss         the loss terms, summed with their weights
 * @param augmentation the transform applied to each training batch on the host, if any (never to evaluation)
 * @param maxNorm      the max-norm constraint (Srivastava et al. 2014): after every update, each output unit's
 *                     incoming weights (one row of every {@link dev.bonsai.api.model.ParameterRole#WEIGHT} tensor,
 *                     over all its axes but the first) are scaled down to this L2 norm where theirs is larger, as
 *                     PyTorch's {@code torch.renorm(w, 2, 0, maxNorm)}; 0 for none
 */
public record TrainingConfig(int epochs, int batchSize, OptimizerSpec optimizer, LrSchedule schedule,
        double gradientClip, List<LossTerm> loss, Optional<Augmentation> augmentation, double maxNorm) {

    /** Checks the values. */
    public TrainingConfig {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be ≥ 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        loss = List.copyOf(loss);
        if (loss.isEmpty()) {
            throw new IllegalArgumentException("a training loss needs at least one term");
        }
        Objects.requireNonNull(augmentation, "augmentation");
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("max norm must be a finite value ≥ 0 (0: none), got " + maxNorm);
        }
    }

    /** A configuration without a max-norm constraint. */
    public TrainingConfig(int epochs, int batchSize, OptimizerSpec optimizer, LrSchedule schedule,
            double gradientClip, List<LossTerm> loss, Optional<Augmentation> augmentation) {
        this(epochs, batchSize, optimizer, schedule, gradientClip, loss, augmentation, 0);
    }

    /** A configuration without augmentation. */
    public TrainingConfig(int epochs, int batchSize, OptimizerSpec optimizer, LrSchedule schedule,
            double gradientClip, List<LossTerm> loss) {
        this(epochs, batchSize, optimizer, schedule, gradientClip, loss, Optional.empty(), 0);
    }

    /** The same configuration for a different number of epochs. */
    public TrainingConfig withEpochs(int newEpochs) {
        return new TrainingConfig(newEpochs, batchSize, optimizer, schedule, gradientClip, loss, augmentation, maxNorm);
    }

    /** The same configuration with a different loss (a distillation recipe's, for example). */
    public TrainingConfig withLoss(List<LossTerm> newLoss) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, gradientClip, newLoss, augmentation, maxNorm);
    }

    /** The same configuration with a different optimizer. */
    public TrainingConfig withOptimizer(OptimizerSpec newOptimizer) {
        return new TrainingConfig(epochs, batchSize, newOptimizer, schedule, gradientClip, loss, augmentation, maxNorm);
    }

    /** The same configuration with another augmentation of the training batches, or none. */
    public TrainingConfig withAugmentation(Optional<Augmentation> newAugmentation) {
        return new TrainingConfig(epochs, batchSize, optimizer, schedule, gradientClip, loss, newAugmentation, maxNorm);
    }
}
