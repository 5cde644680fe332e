package dev.bonsai.reports.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

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
}
