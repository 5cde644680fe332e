package dev.bonsai.reports.stats;

/**
 * The mean and sample standard deviation of {@code n} values.
 *
 * @param n    how many values
 * @param mean their mean; NaN when {@code n == 0}
 * @param std  their sample standard deviation (divisor {@code n - 1}); NaN when {@code n < 2}
 */
public record Summary(int n, double mean, double std) {
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
}
