package dev.bonsai.reports.stats;

/**
 * The mean and sample standard deviation of {@code n} values.
 *
 * @param n    how many values
 * @param mean their mean; NaN when {@code n == 0}
 * @param std  their sample standard deviation (divisor {@code n - 1}); NaN when {@code n < 2}
 */
public record Summary(int n, double mean, double std) {
    /** The confidence level of the intervals reports show. */
    public static final double LEVEL = 0.95;

    /** Checks {@code n ≥ 0}. */
    public Summary {
        if (n < 0) {
            throw new IllegalArgumentException("n must be ≥ 0, got " + n);
        }
    }

    /** Summarises {@code values}. */
    public static Summary of(double... values) {
        return new Summary(values.length, Statistics.mean(values), Statistics.sampleStd(values));
    }

    /** Whether a standard deviation exists ({@code n ≥ 2}). */
    public boolean hasStd() {
        return n >= 2;
    }

    /**
     * The t-based two-sided confidence interval of the mean at {@code level}:
     * {@code mean ± t(1 - (1 - level) / 2, n - 1) · std / √n}. Both bounds are NaN when {@code n < 2}.
     */
    public ConfidenceInterval confidenceInterval(double level) {
        return Statistics.confidenceInterval(this, level);
    }

    /** The 95% confidence interval of the mean ({@link #confidenceInterval(double)} at {@link #LEVEL}). */
    public ConfidenceInterval ci95() {
        return confidenceInterval(LEVEL);
    }
}
