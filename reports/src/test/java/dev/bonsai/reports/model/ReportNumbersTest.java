package dev.bonsai.reports.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.reports.stats.ConfidenceInterval;
import dev.bonsai.reports.stats.TestResult;
import org.junit.jupiter.api.Test;

class ReportNumbersTest {

    @Test
    void fixedDecimalsWithNamesForValuesThatAreNotFinite() {
        assertThat(ReportNumbers.fixed(97.915, 1)).isEqualTo("97.9");
        assertThat(ReportNumbers.fixed(2.5, 0)).isEqualTo("3");
        assertThat(ReportNumbers.fixed(Double.NaN, 2)).isEqualTo("NaN");
        assertThat(ReportNumbers.fixed(Double.POSITIVE_INFINITY, 2)).isEqualTo("∞");
        assertThat(ReportNumbers.fixed(Double.NEGATIVE_INFINITY, 2)).isEqualTo("-∞");
        assertThat(ReportNumbers.signed(0.72, 2)).isEqualTo("+0.72");
        assertThat(ReportNumbers.signed(-0.5, 1)).isEqualTo("-0.5");
        assertThat(ReportNumbers.signed(0, 1)).isEqualTo("0.0");
    }

    @Test
    void intervalsCountsAndSparsities() {
        assertThat(ReportNumbers.interval(new ConfidenceInterval(0.95, -0.0961, 1.5361), 2)).isEqualTo("[-0.10, 1.54]");
        assertThat(ReportNumbers.interval(new ConfidenceInterval(0.95, Double.NaN, Double.NaN), 2)).isEqualTo("–");
        assertThat(ReportNumbers.count(266_609.5)).isEqualTo("266,610");
        assertThat(ReportNumbers.percent(0.995)).isEqualTo("99.5%");
        assertThat(ReportNumbers.percent(0.9)).isEqualTo("90%");
        assertThat(ReportNumbers.percent(0)).isEqualTo("0%");
        assertThat(ReportNumbers.plural(1, "trial")).isEqualTo("1 trial");
        assertThat(ReportNumbers.plural(0, "trial")).isEqualTo("0 trials");
    }

    @Test
    void pValuesMarkApproximationsAndTinyValues() {
        assertThat(ReportNumbers.pValue(new TestResult(2.3, 0.07048, 5, true))).isEqualTo("0.0705");
        assertThat(ReportNumbers.pValue(new TestResult(9, 0.00001, 30, false))).isEqualTo("≈<0.0001");
        assertThat(ReportNumbers.pValue(TestResult.undefined(1))).isEqualTo("–");
    }
}
