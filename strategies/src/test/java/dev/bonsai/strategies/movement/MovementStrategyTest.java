package dev.bonsai.strategies.movement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.support.FixedContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MovementStrategyTest {
    private static final float[] W = {0.5f, -0.1f, 2f, -3f};
    private static final float[] S = {-1f, 4f, 0.25f, -0.5f};

    @Test
    void declaresThatItNeedsMovementScores() {
        assertThat(new MovementStrategy().requirements(new NoOptions())).contains(Requirement.MOVEMENT_SCORES);
    }

    @Test
    void scoresAreTheAccumulatedMovementOnceFineTuningHasRun() {
        FixedContext context = FixedContext.dense(2, new int[] {2}, new float[][] {W}, 1);
        Scores scores = new MovementStrategy().score(new NoOptions(), context.with(MovementProbe.class,
                new Probe(3, new Weights(Map.of("a.weight", new Tensor(context.spec().parameter("a.weight").shape(),
                        S.clone())))), List.of()));
        assertThat(scores.get("a.weight")).containsExactly(S);
    }

    @Test
    void withoutAnyFineTuningStepTheMaskFallsBackToMagnitude() {
        FixedContext context = FixedContext.dense(2, new int[] {2}, new float[][] {W}, 1);
        Scores scores = new MovementStrategy().score(new NoOptions(),
                context.with(MovementProbe.class, new Probe(0, null), List.of()));
        assertThat(scores.get("a.weight")).containsExactly(0.5f, 0.1f, 2f, 3f);
    }

    /** A probe with fixed scores after {@code steps} steps. */
    private record Probe(long steps, Weights scores) implements MovementProbe {
        @Override
        public void start() {
            throw new UnsupportedOperationException("the strategy never starts the probe");
        }

        @Override
        public void stop() {
            throw new UnsupportedOperationException("the strategy never stops the probe");
        }

        @Override
        public boolean started() {
            return scores != null;
        }
    }
}
