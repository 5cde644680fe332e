package dev.bonsai.strategies.wanda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.strategies.support.FixedContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WandaStrategyTest {

    @Test
    void scoresAreAbsoluteWeightTimesTheInputFeaturesNorm() {
        float[] sq = {4f, 9f, 0.25f};
        LayerInputProbe probe = new LayerInputProbe() {
            @Override
            public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
                return Map.of("a.weight", new Tensor(Shape.of(3), sq));
            }

            @Override
            public Map<String, Tensor> inputGram(List<Batch> batches, List<String> weightNames) {
                throw new AssertionError("wanda needs no Gram matrix");
            }
        };
        float[] w = {1f, -1f, 2f, -3f, 0.5f, 4f};
        FixedContext ctx = FixedContext.dense(3, new int[] {2}, new float[][] {w}, 1)
                .with(LayerInputProbe.class, probe, List.of(new Batch(Tensor.zeros(Shape.of(1, 3)), new int[] {0})));
        float[] s = new WandaStrategy().score(new WandaOptions(WandaComparison.ROW), ctx).get("a.weight");
        float[] norms = {2f, 3f, 0.5f};
        for (int i = 0; i < w.length; i++) {
            assertThat(s[i]).isCloseTo(Math.abs(w[i]) * norms[i % 3], within(1e-6f));
        }
    }
}
