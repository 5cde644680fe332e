package dev.bonsai.reports.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatisticsTest {
    @Test
    void meanAndSampleStandardDeviation() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squared deviations 32, sample variance 32/7
        double[] values = {2, 4, 4, 4, 5, 5, 7, 9};
        assertThat(Statistics.mean(values)).isEqualTo(5.0);
        assertThat(Statistics.sampleStd(values)).isCloseTo(Math.sqrt(32.0 / 7), within(1e-15));
        Summary s = Summary.of(values);
        assertThat(s.n()).isEqualTo(8);
        assertThat(s.hasStd()).isTrue();
    }

    @Test
    void equalValuesHaveTheirValueAsMeanAndNoSpread() {
        double[] values = {0.1, 0.1, 0.1};
        assertThat(Statistics.mean(values)).isEqualTo(0.1);
        assertThat(Statistics.sampleStd(values)).isEqualTo(0.0);
    }

    @Test
    void tooFewValues() {
        assertThat(Statistics.mean()).isNaN();
        assertThat(Statistics.sampleStd(3.0)).isNaN();
        assertThat(Summary.of(3.0).hasStd()).isFalse();
        assertThat(Statistics.mean(3.0)).isEqualTo(3.0);
    }

    @Test
    void nanPropagates() {
        assertThat(Statistics.mean(1.0, Double.NaN)).isNaN();
        assertThat(Statistics.sampleStd(1.0, Double.NaN)).isNaN();
        assertThat(Statistics.mean(1.0, Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    /**
     * 97.5% quantiles of Student's t: df 1 and 2 from their closed forms (tan(π(p - ½)) and
     * (2p - 1) / √(2p(1 - p))), the others from a printed table (4 decimals).
     */
    @ParameterizedTest
    @CsvSource({
        "1, 12.706204736174698, 1e-8",
        "2, 4.302652729911275, 1e-8",
        "4, 2.7764, 5e-5",
        "9, 2.2622, 5e-5",
        "29, 2.0452, 5e-5"})
    void tQuantilesMatchKnownValues(int df, double expected, double tolerance) {
        assertThat(Statistics.tQuantile(0.975, df)).isCloseTo(expected, within(tolerance));
        assertThat(Statistics.tQuantile(0.025, df)).isCloseTo(-expected, within(tolerance));
    }

    @Test
    void confidenceIntervalIsMeanPlusMinusTTimesStandardError() {
        // 1, 2, 3: mean 2, std 1, half width t(0.975, 2) / √3 = 4.302652729911275 / 1.7320508075688772
        ConfidenceInterval ci = Summary.of(1, 2, 3).ci95();
        double half = 4.302652729911275 / Math.sqrt(3);
        assertThat(ci.level()).isEqualTo(0.95);
        assertThat(ci.lower()).isCloseTo(2 - half, within(1e-8));
        assertThat(ci.upper()).isCloseTo(2 + half, within(1e-8));
        assertThat(ci.halfWidth()).isCloseTo(2.4841377118, within(1e-8));
        // 90%: t(0.95, 2) = 2.919986 (table)
        assertThat(Summary.of(1, 2, 3).confidenceInterval(0.9).halfWidth())
                .isCloseTo(2.919986 / Math.sqrt(3), within(1e-5));
    }

    @Test
    void confidenceIntervalNeedsTwoValuesAndIsAPointForEqualValues() {
        assertThat(Summary.of(3.0).ci95().defined()).isFalse();
        assertThat(Summary.of().ci95().defined()).isFalse();
        ConfidenceInterval point = Summary.of(0.5, 0.5, 0.5).ci95();
        assertThat(point.lower()).isEqualTo(0.5);
        assertThat(point.upper()).isEqualTo(0.5);
        assertThatThrownBy(() -> Summary.of(1, 2).confidenceInterval(1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Paired t-tests checked against independent values. d = (1, 2, 3): t = 2 / (1 / √3) = √12 with 2 degrees of
     * freedom, whose two-sided p has the closed form 1 - |t| / √(2 + t²) = 1 - √(6/7). The others were computed
     * with SciPy 1.17 ({@code scipy.stats.ttest_rel}).
     */
    @Test
    void pairedTTestMatchesIndependentValues() {
        TestResult closedForm = Statistics.pairedTTest(new double[] {2, 4, 6}, new double[] {1, 2, 3});
        assertThat(closedForm.statistic()).isCloseTo(Math.sqrt(12), within(1e-12));
        assertThat(closedForm.pValue()).isCloseTo(1 - Math.sqrt(6.0 / 7), within(1e-9));
        assertThat(closedForm.n()).isEqualTo(3);

        double[] a = {0.97, 0.975, 0.968, 0.972, 0.971};
        double[] b = {0.965, 0.969, 0.967, 0.960, 0.970};
        TestResult r = Statistics.pairedTTest(a, b);
        assertThat(r.statistic()).isCloseTo(2.4693239916239738, within(1e-9));
        assertThat(r.pValue()).isCloseTo(0.0689968098083824, within(1e-9));

        double[] d = {0.5, -1.2, 2.0, 3.1, 1.7, -0.3, 0.9, 2.2};
        TestResult eight = Statistics.pairedTTest(d, new double[d.length]);
        assertThat(eight.statistic()).isCloseTo(2.2227189144641617, within(1e-9));
        assertThat(eight.pValue()).isCloseTo(0.06162947949627501, within(1e-9));
    }

    @Test
    void pairedTTestEdgeCases() {
        assertThat(Statistics.pairedTTest(new double[] {1}, new double[] {0}).defined()).isFalse();
        assertThat(Statistics.pairedTTest(new double[] {1, 2}, new double[] {1, 2}).pValue()).isEqualTo(1.0);
        assertThat(Statistics.pairedTTest(new double[] {2, 3}, new double[] {1, 2}).pValue()).isEqualTo(0.0);
        assertThatThrownBy(() -> Statistics.pairedTTest(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statistics.pairedTTest(new double[] {1, Double.NaN}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Exact Wilcoxon signed-rank p-values, two-sided. Computed by hand (and by enumerating all 2^n sign assignments
     * in a separate script): five positive differences have W+ = 15, reached by 1 of 32 assignments and as far from
     * the mean as W+ = 0, so p = 2/32; zeros are dropped, so (0, 1, 2, 3) is three positive differences, p = 2/8;
     * (1, 1, -2) has average ranks 1.5, 1.5, 3 and W+ = 3 = the mean, so p = 1; (1.5, -0.5, 0.5, 2.5, 1.5, 0, 3)
     * has ties and a zero, W+ = 19.5, p = 6/64. The rest agree with SciPy's exact test.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "1 2 3 4 5; 15; 0.0625; 5",
        "0 1 2 3; 6; 0.25; 3",
        "1 1 -2; 3; 1.0; 3",
        "1.5 -0.5 0.5 2.5 1.5 0 3.0; 19.5; 0.09375; 6",
        "0.5 -1.2 2.0 3.1 1.7 -0.3 0.9 2.2; 31; 0.078125; 8",
        "0.005 0.006 0.001 0.012 0.001; 15; 0.0625; 5",
        "-1 -2 -3 -4 -5 -6; 0; 0.03125; 6"})
    void exactWilcoxonMatchesHandComputedValues(String differences, double wPlus, double p, int n) {
        double[] d = java.util.Arrays.stream(differences.split(" ")).mapToDouble(Double::parseDouble).toArray();
        TestResult r = Statistics.wilcoxonSignedRank(d, new double[d.length]);
        assertThat(r.exact()).isTrue();
        assertThat(r.n()).isEqualTo(n);
        assertThat(r.statistic()).isEqualTo(wPlus);
        assertThat(r.pValue()).isCloseTo(p, within(1e-12));
    }

    @Test
    void wilcoxonTreatsRoundingNoiseAsATie() {
        // 0.3 - 0.2 = 0.09999999999999998 but 0.2 - 0.1 = 0.1, and 0.6 - 0.7 = -0.09999999999999998: as a
        // three-way tie each gets rank 2, so W+ = 4 (p = 1), not 1.5 + 3 = 4.5
        TestResult r = Statistics.wilcoxonSignedRank(new double[] {0.3, 0.2, 0.6}, new double[] {0.2, 0.1, 0.7});
        assertThat(r.statistic()).isEqualTo(4.0);
        assertThat(r.pValue()).isEqualTo(1.0);
    }

    @Test
    void wilcoxonUsesTheNormalApproximationForManyPairs() {
        // x_i = -1 + 4i/59 + 2 sin(i), i = 0..59: SciPy's wilcoxon(x, method="approx", correction=True) gives
        // p = 0.0001662427802133984 (no ties, no zeros)
        double[] x = new double[60];
        for (int i = 0; i < x.length; i++) {
            x[i] = -1 + 4.0 * i / 59 + 2 * Math.sin(i);
        }
        TestResult r = Statistics.wilcoxonSignedRank(x, new double[x.length]);
        assertThat(r.exact()).isFalse();
        assertThat(r.n()).isEqualTo(60);
        assertThat(r.pValue()).isCloseTo(0.0001662427802133984, within(1e-9));
        assertThat(Math.min(r.statistic(), 60 * 61 / 2.0 - r.statistic())).isEqualTo(403.0);
    }

    @Test
    void wilcoxonEdgeCases() {
        assertThat(Statistics.wilcoxonSignedRank(new double[0], new double[0]).defined()).isFalse();
        TestResult allZero = Statistics.wilcoxonSignedRank(new double[] {1, 2}, new double[] {1, 2});
        assertThat(allZero.pValue()).isEqualTo(1.0);
        assertThat(allZero.n()).isZero();
        // a single pair: both signs equally likely, p = 1
        assertThat(Statistics.wilcoxonSignedRank(new double[] {2}, new double[] {1}).pValue()).isEqualTo(1.0);
    }

    @Test
    void pairedComparisonHoldsTheDifferencesAndBothTests() {
        PairedComparison c = PairedComparison.of(new double[] {2, 4, 6}, new double[] {1, 2, 3});
        assertThat(c.n()).isEqualTo(3);
        assertThat(c.meanDifference()).isEqualTo(2.0);
        assertThat(c.difference().std()).isEqualTo(1.0);
        assertThat(c.difference().ci95().halfWidth()).isCloseTo(4.302652729911275 / Math.sqrt(3), within(1e-8));
        assertThat(c.tTest().pValue()).isCloseTo(1 - Math.sqrt(6.0 / 7), within(1e-9));
        assertThat(c.wilcoxon().pValue()).isEqualTo(0.25);
    }
}
