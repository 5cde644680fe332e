package dev.bonsai.reports.stats;

/**
 * Two configurations compared on the same seeds: the differences {@code a_i - b_i} of their values per seed, the
 * paired t-test and the Wilcoxon signed-rank test of "no difference".
 *
 * @param n              the number of seeds both have (the pairs)
 * @param meanDifference the mean of {@code a_i - b_i}; NaN for no pairs
 * @param difference     the summary of the differences, with its 95% confidence interval
 * @param tTest          the paired t-test (Student's t on the differences, {@code n - 1} degrees of freedom)
 * @param wilcoxon       the Wilcoxon signed-rank test (zero differences dropped, ties given average ranks; exact
 *                       for up to {@value Statistics#WILCOXON_EXACT_MAX} non-zero differences)
 */
public record PairedComparison(int n, double meanDifference, Summary difference, TestResult tTest,
        TestResult wilcoxon) {

    /** Compares {@code a} with {@code b}, where {@code a[i]} and {@code b[i]} come from the same seed. */
    public static PairedComparison of(double[] a, double[] b) {
        double[] d = Statistics.differences(a, b);
        Summary s = Summary.of(d);
        return new PairedComparison(d.length, s.mean(), s, Statistics.pairedTTest(a, b),
                Statistics.wilcoxonSignedRank(a, b));
    }
}
