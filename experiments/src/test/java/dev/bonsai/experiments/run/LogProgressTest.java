package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines within an epoch: at tenths of it or every 30 s, never for short phases, with loss and ETA. */
class LogProgressTest {
    private long now;
    private final List<String> lines = new ArrayList<>();

    /** Runs {@code epochs} epochs of {@code steps} steps, each taking {@code secondsPerStep}. */
    private void run(int epochs, int steps, double secondsPerStep) {
        try (Progress.Phase phase = new LogProgress(() -> now, lines::add).phase("lm", epochs, 32)) {
            phase.started((long) epochs * steps);
            long step = 0;
            for (int e = 0; e < epochs; e++) {
                for (int s = 0; s < steps; s++, step++) {
                    now += (long) (secondsPerStep * 1e9);
                    double loss = 2.0 - s * 0.001;
                    phase.stepped(step, () -> loss);
                }
                phase.epochEnded(e, 1.5);
            }
        }
    }

    @Test
    void aLongEpochIsReportedAtEveryTenthWithThroughputLossAndEta() {
        run(1, 1000, 0.1); // 100 s for the epoch: a line at every tenth, none at its end but the epoch's
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).isEqualTo(
                "lm: epoch 1/1, step 100/1000 (10%), 320 samples/s, running loss 1.9010, ETA 1 min 30 s");
        assertThat(lines.get(8)).startsWith("lm: epoch 1/1, step 900/1000 (90%)").endsWith("ETA 10 s");
        assertThat(lines.get(9)).isEqualTo("lm: epoch 1/1, loss 1.5000");
    }

    @Test
    void aVeryLongEpochIsReportedEveryThirtySeconds() {
        run(1, 100, 10); // a tenth takes 100 s: every 30 s then, and at each tenth
        long stepLines = lines.stream().filter(l -> l.contains("step ")).count();
        assertThat(stepLines).isBetween(33L, 33L + 9);
        assertThat(lines.get(0)).contains("step 3/100 (3%)");
    }

    @Test
    void shortPhasesLogTheirEpochsOnly() {
        run(3, 100, 0.02); // 2 s an epoch
        assertThat(lines).containsExactly("lm: epoch 1/3, loss 1.5000", "lm: epoch 2/3, loss 1.5000",
                "lm: epoch 3/3, loss 1.5000");
    }

    @Test
    void laterEpochsAreReportedAgainAndAtMostOnceInFiveSeconds() {
        run(2, 1000, 0.004); // 4 s an epoch: quiet for the first 10 s, then tenths at most 5 s apart
        assertThat(lines.stream().filter(l -> l.contains("step ")).count()).isZero();
        lines.clear();
        now = 0;
        run(4, 1000, 0.01); // 10 s an epoch: tenths are 1 s apart: a line at 11 s, then one per 5 s
        List<String> steps = lines.stream().filter(l -> l.contains("step ")).toList();
        assertThat(steps).hasSize(6).allSatisfy(l -> assertThat(l).containsPattern("epoch [234]/4"));
    }

    @Test
    void durationsReadEasily() {
        assertThat(LogProgress.duration(12.4)).isEqualTo("12 s");
        assertThat(LogProgress.duration(200)).isEqualTo("3 min 20 s");
        assertThat(LogProgress.duration(3725)).isEqualTo("1 h 02 min");
    }
}
