package dev.bonsai.reports.stats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Collection;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Statistics over seeds: mean and sample standard deviation, t-based confidence intervals, and paired tests
 * (Student's paired t-test, the Wilcoxon signed-rank test). Distributions come from Apache Commons Math. NaN values
 * propagate in the descriptive statistics (a NaN among the values gives a NaN result) so a broken measurement is
 * visible rather than silently dropped; the paired tests reject NaN.
 *
 * <h2>The Wilcoxon signed-rank test</h2>
 * Zero differences are dropped (Wilcoxon's original treatment), the absolute values of the others are ranked with
 * ties given their average rank, and W+ is the sum of the ranks of the positive differences. With at most
 * {@value #WILCOXON_EXACT_MAX} non-zero differences the two-sided p-value is exact: the share of the 2^n equally
 * likely sign assignments whose rank sum lies at least as far from its mean n(n+1)/4 as the observed one, computed
 * with the actual (possibly tied) ranks. Above that it is the normal approximation with the tie correction of the
 * variance and a continuity correction. Commons Math's own {@code WilcoxonSignedRankTest} is not used: it ranks the
 * zero differences as well, and its exact p-value ignores ties and can exceed 1.
 */
public final class Statistics {
    /** Up to this many non-zero differences the Wilcoxon p-value is exact. */
    public static final int WILCOXON_EXACT_MAX = 50;

    /** Significant digits absolute differences are rounded to before ranking, so rounding noise makes no order. */
    private static final MathContext RANKING_PRECISION = new MathContext(12);

    private Statistics() {
    }

    /**
     * The {@code p} quantile of Student's t distribution with {@code df} degrees of freedom.
     *
     * @throws IllegalArgumentException when {@code df < 1} or {@code p} is not in (0, 1)
     */
    public static double tQuantile(double p, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be ≥ 1, got " + df);
        }
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        return new TDistribution(null, df).inverseCumulativeProbability(p);
    }

    /**
     * The t-based two-sided confidence interval of the mean of the values {@code summary} describes:
     * {@code mean ± t(1 - (1 - level) / 2, n - 1) · std / √n}; NaN bounds when {@code n < 2}. The interval has
     * zero width when the values are all equal.
     */
    public static ConfidenceInterval confidenceInterval(Summary summary, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        if (summary.n() < 2 || Double.isNaN(summary.mean()) || Double.isNaN(summary.std())) {
            return new ConfidenceInterval(level, Double.NaN, Double.NaN);
        }
        double half = tQuantile(1 - (1 - level) / 2, summary.n() - 1) * summary.std() / Math.sqrt(summary.n());
        return new ConfidenceInterval(level, summary.mean() - half, summary.mean() + half);
    }

    /**
     * {@code a[i] - b[i]} for every i.
     *
     * @throws IllegalArgumentException when the lengths differ or a value is NaN
     */
    public static double[] differences(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + a.length + " and " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) || Double.isNaN(b[i])) {
                throw new IllegalArgumentException("paired samples must not contain NaN (pair " + i + ")");
            }
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /**
     * Student's paired t-test of "the mean difference is 0", two-sided: {@code t = mean(d) / (std(d) / √n)} with
     * {@code n - 1} degrees of freedom, where {@code d = a - b}. Undefined (NaN) for fewer than two pairs. When all
     * differences are equal the test degenerates: p is 1 if they are all 0, otherwise 0 (t infinite).
     */
    public static TestResult pairedTTest(double[] a, double[] b) {
        double[] d = differences(a, b);
        int n = d.length;
        if (n < 2) {
            return TestResult.undefined(n);
        }
        double mean = mean(d);
        double std = sampleStd(d);
        if (std == 0) {
            return mean == 0 ? new TestResult(0, 1, n, true)
                    : new TestResult(Math.copySign(Double.POSITIVE_INFINITY, mean), 0, n, true);
        }
        double t = mean / (std / Math.sqrt(n));
        double p = 2 * new TDistribution(null, n - 1).cumulativeProbability(-Math.abs(t));
        return new TestResult(t, Math.min(1, p), n, true);
    }

    /**
     * The Wilcoxon signed-rank test of "the differences {@code a - b} are symmetric about 0", two-sided; see the
     * class comment for the treatment of zeros and ties. The statistic is W+. With no non-zero difference the
     * p-value is 1; with no pairs at all it is undefined.
     */
    public static TestResult wilcoxonSignedRank(double[] a, double[] b) {
        double[] all = differences(a, b);
        if (all.length == 0) {
            return TestResult.undefined(0);
        }
        double[] d = Arrays.stream(all).filter(v -> v != 0).toArray();
        int n = d.length;
        if (n == 0) {
            return new TestResult(0, 1, 0, true);
        }
        double[] magnitudes = new double[n];
        for (int i = 0; i < n; i++) {
            magnitudes[i] = new BigDecimal(Math.abs(d[i])).round(RANKING_PRECISION).doubleValue();
        }
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(magnitudes);
        // average ranks are multiples of 1/2: work with twice the ranks, which are integers
        int[] doubled = new int[n];
        int total = 0;
        int observed = 0;
        for (int i = 0; i < n; i++) {
            doubled[i] = (int) Math.round(2 * ranks[i]);
            total += doubled[i];
            if (d[i] > 0) {
                observed += doubled[i];
            }
        }
        double wPlus = observed / 2.0;
        if (n <= WILCOXON_EXACT_MAX) {
            return new TestResult(wPlus, exactSignedRankP(doubled, total, observed), n, true);
        }
        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1.0) * (2 * n + 1) / 24;
        Arrays.sort(magnitudes);
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && magnitudes[j] == magnitudes[i]) {
                j++;
            }
            double t = j - i;
            variance -= (t * t * t - t) / 48;
            i = j;
        }
        double z = Math.max(0, Math.abs(wPlus - mean) - 0.5) / Math.sqrt(variance);
        double p = 2 * new NormalDistribution(null, 0, 1).cumulativeProbability(-z);
        return new TestResult(wPlus, Math.min(1, p), n, false);
    }

    /**
     * The share of sign assignments whose doubled rank sum {@code s} has {@code |2s - total| ≥ |2 observed - total|},
     * by dynamic programming over the distribution of subset sums (exact with tied ranks).
     */
    private static double exactSignedRankP(int[] doubledRanks, int total, int observed) {
        double[] ways = new double[total + 1]; // at most 2^50 per entry: exact in a double
        ways[0] = 1;
        int reach = 0;
        for (int r : doubledRanks) {
            for (int s = reach; s >= 0; s--) {
                if (ways[s] != 0) {
                    ways[s + r] += ways[s];
                }
            }
            reach += r;
        }
        long distance = Math.abs(2L * observed - total);
        double extreme = 0;
        for (int s = 0; s <= total; s++) {
            if (Math.abs(2L * s - total) >= distance) {
                extreme += ways[s];
            }
        }
        return Math.min(1, extreme / Math.pow(2, doubledRanks.length));
    }

    /**
     * The arithmetic mean; NaN for no values. Computed as the first value plus the compensated mean of the
     * differences from it, so the mean of equal values is exactly that value.
     */
    public static double mean(double... values) {
        int n = values.length;
        if (n == 0) {
            return Double.NaN;
        }
        double plain = 0;
        for (double v : values) {
            plain += v;
        }
        if (!Double.isFinite(plain)) {
            return plain / n; // NaN or an infinity propagates
        }
        double reference = values[0];
        double sum = 0;
        double compensation = 0;
        for (double v : values) {
            double d = v - reference;
            double t = sum + d;
            compensation += Math.abs(sum) >= Math.abs(d) ? (sum - t) + d : (d - t) + sum; // Neumaier
            sum = t;
        }
        return reference + (sum + compensation) / n;
    }

    /** The sample standard deviation (divisor {@code n - 1}); NaN for fewer than two values. */
    public static double sampleStd(double... values) {
        int n = values.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        double squares = 0;
        double deviations = 0;
        for (double v : values) {
            double d = v - mean;
            squares += d * d;
            deviations += d;
        }
        // two-pass with correction term (Chan, Golub & LeVeque): removes the rounding error of the mean
        double variance = (squares - deviations * deviations / n) / (n - 1);
        return Math.sqrt(Math.max(variance, 0));
    }

    /** The values of a collection as an array. */
    public static double[] toArray(Collection<? extends Number> values) {
        double[] a = new double[values.size()];
        int i = 0;
        for (Number v : values) {
            a[i++] = v.doubleValue();
        }
        return a;
    }
}
