package dev.bonsai.reports.stats;

/**
 * The outcome of a two-sided hypothesis test.
 *
 * @param statistic the test statistic (t for the t-test, W+ for the Wilcoxon signed-rank test); NaN when the test
 *                  cannot be computed
 * @param pValue    the two-sided p-value in [0, 1]; NaN when the test cannot be computed (too few pairs)
 * @param n         the number of pairs the test used (for the Wilcoxon test: the pairs with a non-zero difference)
 * @param exact     whether the p-value comes from the exact null distribution rather than an approximation
 */
public record TestResult(double statistic, double pValue, int n, boolean exact) {
    /** A test that could not be computed from {@code n} pairs. */
    public static TestResult undefined(int n) {
        return new TestResult(Double.NaN, Double.NaN, n, false);
    }

    /** Whether a p-value exists. */
    public boolean defined() {
        return !Double.isNaN(pValue);
    }
}
