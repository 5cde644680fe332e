package dev.bonsai.strategies.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.prune.PruningStep;
import dev.bonsai.api.prune.TrainingPruningStep;
import dev.bonsai.strategies.agp.AgpOptions;
import dev.bonsai.strategies.agp.AgpSchedule;
import dev.bonsai.strategies.gradual.GradualOptions;
import dev.bonsai.strategies.gradual.GradualSchedule;
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

    @Test
    void lotteryTicketIsTheIdAndLotteryAnAlias() {
        assertThat(new LotterySchedule().id()).isEqualTo("lottery-ticket");
        assertThat(new LotterySchedule().aliases()).containsExactly("lottery");
    }

    /** Zhu & Gupta's eq. (1) at t, written from the paper independently of the schedule's code. */
    private static double zhuGupta(double si, double sf, long t, long t0, long n, long dt) {
        double f = 1 - (double) (t - t0) / (n * dt);
        return sf + (si - sf) * f * f * f;
    }

    @Test
    void gradualPrunesEveryDeltaTStepsOnTheCubicFormula() {
        GradualSchedule schedule = new GradualSchedule();
        List<TrainingPruningStep> steps = schedule.duringTraining(0.8, 20, 3, new GradualOptions(0.1, 10, 0, 5, 4));
        assertThat(steps).extracting(TrainingPruningStep::step).containsExactly(10L, 15L, 20L, 25L, 30L);
        for (TrainingPruningStep s : steps) {
            assertThat(s.sparsity()).as("sparsity at step %d", s.step())
                    .isCloseTo(zhuGupta(0.1, 0.8, s.step(), 10, 4, 5), within(1e-12));
        }
        assertThat(steps.get(0).sparsity()).isCloseTo(0.1, within(1e-12));
        assertThat(steps.get(4).sparsity()).isEqualTo(0.8);
        assertThat(schedule.steps(0.8, 3, new GradualOptions(0.1, 10, 0, 5, 4)))
                .containsExactly(new PruningStep(0.8, 3));
    }

    @Test
    void gradualStartsAtAnEpochOrSpreadsItsStepsOverHalfTheTraining() {
        GradualSchedule schedule = new GradualSchedule();
        assertThat(schedule.duringTraining(0.9, 20, 3, new GradualOptions(0, 0, 1, 4, 2)))
                .extracting(TrainingPruningStep::step).containsExactly(20L, 24L, 28L);
        List<TrainingPruningStep> auto = schedule.duringTraining(0.9, 100, 2, new GradualOptions(0, 0, 0, 0, 10));
        assertThat(auto).hasSize(11);
        assertThat(auto.get(1).step()).isEqualTo(10);
        assertThat(auto.get(10).step()).isEqualTo(100);
        assertThat(auto.get(0).sparsity()).isZero();
    }

    @Test
    void gradualRefusesOptionsThatDoNotFitTheTraining() {
        GradualSchedule schedule = new GradualSchedule();
        assertThatThrownBy(() -> schedule.duringTraining(0.9, 20, 0, new GradualOptions(0, 0, 0, 0, 10)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("prune.finetune.epochs");
        assertThatThrownBy(() -> schedule.duringTraining(0.9, 20, 1, new GradualOptions(0, 0, 0, 3, 10)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("= 30 is past the end of the 20");
        assertThatThrownBy(() -> schedule.duringTraining(0.9, 20, 1, new GradualOptions(0, 20, 0, 1, 1)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("t0 = 20");
        assertThatThrownBy(() -> schedule.duringTraining(0.9, 10, 1, new GradualOptions(0, 0, 0, 0, 10)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("schedule.pruning_steps");
        assertThatThrownBy(() -> schedule.duringTraining(0.5, 100, 1, new GradualOptions(0.6, 0, 0, 0, 4)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("initial sparsity 0.6");
        assertThatThrownBy(() -> new GradualOptions(0, 5, 1, 0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");
    }
}
