package dev.bonsai.strategies.lamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.strategies.support.FixedContext;
import dev.bonsai.testkit.strategy.PruningStrategyContract;
import org.junit.jupiter.api.Test;

/** The built-in strategy's own tests, and the test kit's contract for every strategy. */
class LampStrategyTest extends PruningStrategyContract<NoOptions> {

    @Override
    protected PruningStrategy<NoOptions> strategy() {
        return new LampStrategy();
    }

    @Test
    void scoresEachWeightBySquareOverTheSumOfSquaresNotSmaller() {
        FixedContext ctx = FixedContext.dense(4, new int[] {1}, new float[][] {{3f, -1f, 2f, 0.5f}}, 1);
        float[] s = new LampStrategy().score(new NoOptions(), ctx).get("a.weight");
        assertThat(s[3]).isCloseTo(0.25f / 14.25f, within(1e-7f));
        assertThat(s[1]).isCloseTo(1f / 14f, within(1e-7f));
        assertThat(s[2]).isCloseTo(4f / 13f, within(1e-7f));
        assertThat(s[0]).isEqualTo(1f);
    }

    @Test
    void theLargestWeightOfEveryLayerScoresOneWhateverTheLayersScale() {
        FixedContext ctx = FixedContext.dense(2, new int[] {2, 1},
                new float[][] {{100f, 200f, 300f, 400f}, {0.001f, 0.002f}}, 1);
        var scores = new LampStrategy().score(new NoOptions(), ctx);
        assertThat(scores.get("a.weight")[3]).isEqualTo(1f);
        assertThat(scores.get("b.weight")[1]).isEqualTo(1f);
        assertThat(scores.get("b.weight")[0]).isCloseTo(0.2f, within(1e-5f));
    }
}
