package dev.bonsai.strategies.random;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.support.FixedContext;
import dev.bonsai.testkit.strategy.PruningStrategyContract;
import org.junit.jupiter.api.Test;

/** The built-in strategy's own tests, and the test kit's contract for every strategy. */
class RandomStrategyTest extends PruningStrategyContract<NoOptions> {

    @Override
    protected PruningStrategy<NoOptions> strategy() {
        return new RandomStrategy();
    }

    private static FixedContext context(long seed) {
        return FixedContext.dense(30, new int[] {20, 10}, new float[][] {new float[600], new float[200]}, seed);
    }

    @Test
    void sameSeedGivesTheSameScores() {
        Scores first = new RandomStrategy().score(new NoOptions(), context(42));
        Scores second = new RandomStrategy().score(new NoOptions(), context(42));

        assertThat(first.get("a.weight")).containsExactly(second.get("a.weight"));
        assertThat(first.get("b.weight")).containsExactly(second.get("b.weight"));
    }

    @Test
    void differentSeedsGiveDifferentScores() {
        Scores first = new RandomStrategy().score(new NoOptions(), context(42));
        Scores second = new RandomStrategy().score(new NoOptions(), context(43));

        assertThat(first.get("a.weight")).isNotEqualTo(second.get("a.weight"));
        assertThat(first.get("b.weight")).isNotEqualTo(second.get("b.weight"));
    }

    @Test
    void scoresEveryPrunableElementUniformlyInTheUnitInterval() {
        Scores scores = new RandomStrategy().score(new NoOptions(), context(7));

        assertThat(scores.asMap().keySet()).containsExactly("a.weight", "b.weight");
        assertThat(scores.get("a.weight")).hasSize(600);
        assertThat(scores.get("b.weight")).hasSize(200);
        double sum = 0;
        for (float[] s : scores.asMap().values()) {
            for (float v : s) {
                assertThat(v).isGreaterThanOrEqualTo(0f).isLessThan(1f);
                sum += v;
            }
        }
        // mean of 800 uniforms: σ ≈ 0.0102, so ±0.06 is about 6σ
        assertThat(sum / 800).isBetween(0.44, 0.56);
    }

    @Test
    void needsOnlyWeightsAndDeclaresTheSpi() {
        RandomStrategy strategy = new RandomStrategy();
        assertThat(strategy.requirements(new NoOptions())).containsExactly(Requirement.WEIGHTS);
        assertThat(strategy.spiVersion()).isEqualTo(Spi.VERSION);
        assertThat(strategy.id()).isEqualTo("random");
    }
}
