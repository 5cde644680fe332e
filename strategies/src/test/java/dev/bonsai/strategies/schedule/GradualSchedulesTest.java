package dev.bonsai.strategies.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.prune.PruningStep;
import dev.bonsai.strategies.agp.AgpOptions;
import dev.bonsai.strategies.agp.AgpSchedule;
import dev.bonsai.strategies.lottery.LotteryOptions;
import dev.bonsai.strategies.lottery.LotterySchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradualSchedulesTest {

    @Test
    void agpFollowsTheCubicRampAndEndsAtTheTarget() {
        List<PruningStep> steps = new AgpSchedule().steps(0.9, 2, new AgpOptions(4));
        assertThat(steps).hasSize(4).allSatisfy(s -> {
            assertThat(s.finetuneEpochs()).isEqualTo(2);
            assertThat(s.rewind()).isFalse();
        });
        assertThat(steps.get(0).sparsity()).isCloseTo(0.9 * (1 - Math.pow(0.75, 3)), within(1e-12));
        assertThat(steps.get(1).sparsity()).isCloseTo(0.9 * (1 - 0.125), within(1e-12));
        assertThat(steps.get(3).sparsity()).isEqualTo(0.9);
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i).sparsity() - steps.get(i - 1).sparsity())
                    .isLessThan(steps.get(0).sparsity()); // fast first, slow near the target
        }
    }

    @Test
    void lotteryRewindsEveryRoundAndPrunesTheSameFractionOfWhatRemains() {
        List<PruningStep> steps = new LotterySchedule().steps(0.8, 5, new LotteryOptions(3));
        assertThat(steps).hasSize(3).allSatisfy(s -> assertThat(s.rewind()).isTrue());
        double perRound = Math.pow(0.2, 1.0 / 3);
        assertThat(1 - steps.get(0).sparsity()).isCloseTo(perRound, within(1e-12));
        assertThat(1 - steps.get(1).sparsity()).isCloseTo(perRound * perRound, within(1e-12));
        assertThat(steps.get(2).sparsity()).isEqualTo(0.8);
    }
}
