package dev.bonsai.strategies.wanda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.support.FixedContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wanda's comparison group is the output row: on a layer whose second row has far larger weights, the paper's
 * per-row selection prunes half of each row (the lowest |W_ij|·‖X_j‖₂ of the row, computed here by hand), while a
 * layerwise comparison would empty the first row.
 */
class WandaRowComparisonTest {
    private static final float[] SQUARES = {1f, 16f, 4f, 0.25f};
    private static final float[] W = {1f, -0.1f, 0.2f, 3f, /* row 1 */ 100f, 50f, -80f, 90f};

    private static FixedContext context() {
        LayerInputProbe probe = new LayerInputProbe() {
            @Override
            public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
                return Map.of("a.weight", new Tensor(Shape.of(4), SQUARES));
            }

            @Override
            public Map<String, Tensor> inputGram(List<Batch> batches, List<String> weightNames) {
                throw new AssertionError("wanda needs no Gram matrix");
            }
        };
        return FixedContext.dense(4, new int[] {2}, new float[][] {W}, 1).with(LayerInputProbe.class, probe,
                List.of(new Batch(Tensor.zeros(Shape.of(1, 4)), new int[] {0})));
    }

    private static Mask select(WandaOptions options, Scope descriptorScope) {
        WandaStrategy wanda = new WandaStrategy();
        FixedContext context = context();
        return new MaskSelector().select(wanda.score(options, context), context.prunable(), MaskSet.empty(), 0.5,
                wanda.scope(options).orElse(descriptorScope), new Structure.Unstructured()).get("a.weight")
                .orElseThrow();
    }

    @Test
    void theDefaultComparesWithinEachOutputRowWhateverTheDescriptorsScope() {
        // scores: row 0 = 1·1, 0.1·4, 0.2·2, 3·0.5 = 1, 0.4, 0.4, 1.5 -> prune 0.4 at 1 and 2 (the tie: both)
        //         row 1 = 100, 200, 160, 45 -> prune 45 at 3 and 100 at 0
        boolean[] kept = {true, false, false, true, false, true, true, false};
        for (Scope scope : Scope.values()) {
            Mask mask = select(new WandaOptions(WandaComparison.ROW), scope);
            for (int i = 0; i < kept.length; i++) {
                assertThat(mask.kept(i)).as("element %d under descriptor scope %s", i, scope).isEqualTo(kept[i]);
            }
        }
    }

    @Test
    void comparisonScopeFollowsTheDescriptorsScope() {
        assertThat(new WandaStrategy().scope(new WandaOptions(WandaComparison.SCOPE))).isEmpty();
        Mask layerwise = select(new WandaOptions(WandaComparison.SCOPE), Scope.LAYERWISE);
        for (int i = 0; i < 4; i++) {
            assertThat(layerwise.kept(i)).as("row 0 element %d, compared with row 1's far larger scores", i).isFalse();
        }
    }
}
