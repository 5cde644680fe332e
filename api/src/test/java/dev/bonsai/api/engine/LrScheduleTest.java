package dev.bonsai.api.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void cosineWarmsUpThenAnnealsToTheFinalFraction() {
        LrSchedule.Cosine c = new LrSchedule.Cosine(10, 0.1);
        assertThat(c.factor(0, 110, 10)).isCloseTo(0.1, within(1e-12));
        assertThat(c.factor(9, 110, 10)).isCloseTo(1.0, within(1e-12));
        assertThat(c.factor(10, 110, 10)).isCloseTo(1.0, within(1e-12));
        assertThat(c.factor(60, 110, 10)).isCloseTo(0.55, within(1e-12));
        assertThat(c.factor(110, 110, 10)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void stepDecayMultipliesEveryPeriod() {
        LrSchedule.StepDecay s = new LrSchedule.StepDecay(2, 0.5);
        assertThat(s.factor(19, 100, 10)).isEqualTo(1.0);
        assertThat(s.factor(20, 100, 10)).isEqualTo(0.5);
        assertThat(s.factor(45, 100, 10)).isEqualTo(0.25);
    }
}
