package dev.bonsai.api.engine;

/**
 * How the learning rate changes over a training run. Engines call {@link #factor} once per step, so every
 * engine follows the same curve.
 */
public sealed interface LrSchedule {

    /** The multiplier of the base learning rate at {@code step} of {@code totalSteps} (0-based). */
    double factor(long step, long totalSteps, long stepsPerEpoch);

    /** A constant rate. */
    record Constant() implements LrSchedule {
        @Override
        public double factor(long step, long totalSteps, long stepsPerEpoch) {
            return 1;
        }
    }

    /**
     * Multiply by {@code gamma} every {@code everyEpochs} epochs.
     *
     * @param everyEpochs the period in epochs
     * @param gamma       the multiplier
     */
    record StepDecay(int everyEpochs, double gamma) implements LrSchedule {
        @Override
        public double factor(long step, long totalSteps, long stepsPerEpoch) {
            return Math.pow(gamma, (double) (step / (stepsPerEpoch * everyEpochs)));
        }
    }

    /**
     * Cosine annealing from the base rate to {@code finalFraction} of it, after {@code warmupSteps} of linear
     * warm-up from zero.
     *
     * @param warmupSteps   linear warm-up length
     * @param finalFraction the rate at the end, as a fraction of the base
     */
    record Cosine(long warmupSteps, double finalFraction) implements LrSchedule {
        @Override
        public double factor(long step, long totalSteps, long stepsPerEpoch) {
            if (step < warmupSteps) {
                return (step + 1.0) / warmupSteps;
            }
            double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
            return finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
        }
    }
}
