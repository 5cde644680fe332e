package dev.bonsai.strategies.magnitude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.support.FixedContext;
import dev.bonsai.testkit.strategy.PruningStrategyContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in strategy's own tests, and the test kit's contract for every strategy. */
class MagnitudeStrategyTest extends PruningStrategyContract<NoOptions> {

    @Override
    protected PruningStrategy<NoOptions> strategy() {
        return new MagnitudeStrategy();
    }

    // layer a: [2, 3], layer b: [2, 2]
    private static final float[] A = {0.5f, -0.05f, 2.0f, -1.5f, 0.2f, -0.3f};
    private static final float[] B = {-0.1f, 3.0f, 0.25f, -0.01f};

    private final FixedContext context = FixedContext.dense(3, new int[] {2, 2}, new float[][] {A, B}, 1);

    @Test
    void scoresAreAbsoluteValues() {
        Scores scores = new MagnitudeStrategy().score(new NoOptions(), context);

        assertThat(scores.asMap().keySet()).containsExactly("a.weight", "b.weight");
        assertThat(scores.get("a.weight")).containsExactly(0.5f, 0.05f, 2.0f, 1.5f, 0.2f, 0.3f);
        assertThat(scores.get("b.weight")).containsExactly(0.1f, 3.0f, 0.25f, 0.01f);
    }

    @Test
    void globalSelectionRemovesExactlyTheSmallestMagnitudes() {
        Scores scores = new MagnitudeStrategy().score(new NoOptions(), context);
        // 10 weights, 40 % → the 4 smallest |w|: b[3]=0.01, a[1]=0.05, b[0]=0.1, a[4]=0.2
        MaskSet masks = new MaskSelector().select(scores, context.prunable(), MaskSet.empty(), 0.4, Scope.GLOBAL,
                new Structure.Unstructured());

        assertThat(masks.get("a.weight").orElseThrow().keptBits().stream().toArray()).containsExactly(0, 2, 3, 5);
        assertThat(masks.get("b.weight").orElseThrow().keptBits().stream().toArray()).containsExactly(1, 2);
        assertThat(masks.prunedCount()).isEqualTo(4);
    }

    @Test
    void needsOnlyWeightsAndDeclaresTheSpi() {
        MagnitudeStrategy strategy = new MagnitudeStrategy();
        assertThat(strategy.requirements(new NoOptions())).containsExactly(Requirement.WEIGHTS);
        assertThat(strategy.spiVersion()).isEqualTo(Spi.VERSION);
        assertThat(strategy.id()).isEqualTo("magnitude");
    }

    @Test
    void missingWeightsNameTheParameter() {
        FixedContext broken = new FixedContext(context.spec(),
                new Weights(Map.of("a.weight", new Tensor(context.spec().parameter("a.weight").shape(), A))),
                MaskSet.empty(), 1);

        assertThatThrownBy(() -> new MagnitudeStrategy().score(new NoOptions(), broken))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'b.weight'");
    }
}
