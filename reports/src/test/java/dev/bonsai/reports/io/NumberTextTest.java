package dev.bonsai.reports.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumberTextTest {
    @Test
    void everyDoubleReadsBackToTheSameBits() {
        SplittableRandom random = new SplittableRandom(42);
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Double.MAX_VALUE, 0.1 + 0.2, 1e-300, 123456789.123456789};
        for (double d : special) {
            assertThat(Double.doubleToRawLongBits(NumberText.parse(NumberText.format(d))))
                    .isEqualTo(Double.doubleToRawLongBits(d));
        }
        for (int i = 0; i < 10_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            assertThat(NumberText.parse(NumberText.format(d))).isEqualTo(d);
        }
    }

    @Test
    void nonFiniteValuesHaveFixedNames() {
        assertThat(NumberText.format(Double.NaN)).isEqualTo("NaN");
        assertThat(NumberText.format(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(NumberText.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThatThrownBy(() -> NumberText.parse("0x1p3")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> NumberText.parse("1d")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> NumberText.parse("")).isInstanceOf(NumberFormatException.class);
    }
}
