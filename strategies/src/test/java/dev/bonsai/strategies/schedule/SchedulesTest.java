package dev.bonsai.strategies.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningStep;
import dev.bonsai.strategies.iterative.IterativeOptions;
import dev.bonsai.strategies.iterative.IterativeSchedule;
import dev.bonsai.strategies.oneshot.OneShotSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    void oneShotIsASingleStepToTheTarget() {
        assertThat(new OneShotSchedule().steps(0.9, 3, new NoOptions())).containsExactly(new PruningStep(0.9, 3));
    }

    @Test
    void iterativeEndsExactlyAtTheTarget() {
        for (double target : new double[] {0.5, 0.8, 0.9, 0.95, 0.98, 0.3}) {
            for (int rounds = 1; rounds <= 7; rounds++) {
                List<PruningStep> steps = new IterativeSchedule().steps(target, 2, new IterativeOptions(rounds));
                assertThat(steps).hasSize(rounds);
                assertThat(steps.get(rounds - 1).sparsity()).isEqualTo(target);
            }
        }
    }

    @Test
    void iterativeShrinksTheKeptFractionGeometrically() {
        List<PruningStep> steps = new IterativeSchedule().steps(0.9, 2, new IterativeOptions(4));

        double ratio = Math.pow(0.1, 0.25);
        double kept = 1;
        for (PruningStep step : steps) {
            double now = 1 - step.sparsity();
            assertThat(now / kept).isCloseTo(ratio, within(1e-12));
            assertThat(step.finetuneEpochs()).isEqualTo(2);
            kept = now;
        }
        assertThat(steps.get(0).sparsity()).isCloseTo(1 - Math.pow(0.1, 0.25), within(1e-12));
        assertThat(steps.get(1).sparsity()).isCloseTo(1 - Math.sqrt(0.1), within(1e-12));
    }

    @Test
    void iterativeDefaultsAndValidation() throws Exception {
        var rounds = IterativeOptions.class.getRecordComponents()[0];
        assertThat(rounds.getAnnotation(dev.bonsai.api.options.DefaultValue.class).value()).isEqualTo("4");
        assertThatThrownBy(() -> new IterativeOptions(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rounds");
        assertThatThrownBy(() -> new IterativeSchedule().steps(1.0, 1, new IterativeOptions(2)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("[0, 1)");
        assertThat(new IterativeSchedule().steps(0, 1, new IterativeOptions(3)))
                .extracting(PruningStep::sparsity).containsExactly(0.0, 0.0, 0.0);
    }

    @Test
    void idsAndSpi() {
        assertThat(new OneShotSchedule().id()).isEqualTo("one-shot");
        assertThat(new IterativeSchedule().id()).isEqualTo("iterative");
        assertThat(new OneShotSchedule().spiVersion()).isEqualTo(Spi.VERSION);
        assertThat(new IterativeSchedule().spiVersion()).isEqualTo(Spi.VERSION);
    }
}
