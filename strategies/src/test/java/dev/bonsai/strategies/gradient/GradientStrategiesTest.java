package dev.bonsai.strategies.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.strategies.snip.SnipStrategy;
import dev.bonsai.strategies.support.FixedContext;
import dev.bonsai.strategies.taylor.TaylorStrategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Taylor and SNIP on a context whose gradient probe returns a known gradient per batch. */
class GradientStrategiesTest {
    private static final float[] W = {1f, -2f, 3f, -4f};
    private static final float[] G = {0.5f, 0.25f, -1f, 0.1f};
    private static final List<Batch> BATCHES = List.of(batch(), batch(), batch());

    private static Batch batch() {
        return new Batch(Tensor.zeros(Shape.of(1, 2)), new int[] {0});
    }

    /** Sums one fixed gradient per batch, as an engine sums per-batch gradients. */
    private static final GradientProbe PROBE = batches -> {
        float[] sum = new float[G.length];
        for (int b = 0; b < batches.size(); b++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += G[i];
            }
        }
        return new Weights(Map.of("a.weight", new Tensor(Shape.of(2, 2), sum)));
    };

    private static FixedContext context() {
        return FixedContext.dense(2, new int[] {2}, new float[][] {W}, 1).with(GradientProbe.class, PROBE, BATCHES);
    }

    @Test
    void taylorScoresAreAbsoluteWeightTimesMeanGradient() {
        float[] s = new TaylorStrategy().score(new NoOptions(), context()).get("a.weight");
        for (int i = 0; i < W.length; i++) {
            assertThat(s[i]).isCloseTo(Math.abs(W[i] * G[i]), within(1e-6f));
        }
    }

    @Test
    void snipScoresAreTaylorScoresNormalisedToSumOne() {
        float[] s = new SnipStrategy().score(new NoOptions(), context()).get("a.weight");
        double total = 0;
        for (int i = 0; i < W.length; i++) {
            total += Math.abs(W[i] * G[i]);
        }
        for (int i = 0; i < W.length; i++) {
            assertThat((double) s[i]).isCloseTo(Math.abs(W[i] * G[i]) / total, within(1e-6));
        }
    }

    @Test
    void withoutCalibrationDataTheyFailClearly() {
        FixedContext noData = FixedContext.dense(2, new int[] {2}, new float[][] {W}, 1)
                .with(GradientProbe.class, PROBE, List.of());
        assertThatThrownBy(() -> new TaylorStrategy().score(new NoOptions(), noData))
                .hasMessageContaining("'taylor' needs calibration batches");
    }
}
