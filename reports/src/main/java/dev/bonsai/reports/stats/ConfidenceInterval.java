package dev.bonsai.reports.stats;

/**
 * A two-sided confidence interval for a mean.
 *
 * @param level the confidence level, for example {@code 0.95}
 * @param lower the lower bound; NaN when it cannot be computed (fewer than two values)
 * @param upper the upper bound; NaN when it cannot be computed
 */
public record ConfidenceInterval(double level, double lower, double upper) {
    /** Checks that the level lies strictly between 0 and 1. */
    public ConfidenceInterval {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
    }

    /** Whether both bounds are numbers. */
    public boolean defined() {
        return !Double.isNaN(lower) && !Double.isNaN(upper);
    }

    /** Half the width: the {@code ±} of {@code mean ± halfWidth}; NaN when undefined. */
    public double halfWidth() {
        return (upper - lower) / 2;
    }
}
