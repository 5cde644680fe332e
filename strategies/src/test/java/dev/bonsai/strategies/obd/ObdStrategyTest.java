package dev.bonsai.strategies.obd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.strategies.support.FixedContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObdStrategyTest {
    private static final float[] W = {1f, -2f, 0.5f, 3f};
    private static final List<Batch> BATCHES = List.of(new Batch(Tensor.zeros(Shape.of(1, 2)), new int[] {0}));
    /** A symmetric 4×4 Hessian over the flattened weight, non-diagonal so the diagonal must be picked out. */
    private static final double[][] H = {{2, 0.5, 0, 1}, {0.5, 3, -1, 0}, {0, -1, 0.25, 0.3}, {1, 0, 0.3, 4}};

    private static final HessianVectorProbe HVP = (v, batches) -> {
        float[] x = v.get("a.weight").data();
        float[] y = new float[4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                y[i] += (float) (H[i][j] * x[j]);
            }
        }
        return new Weights(Map.of("a.weight", new Tensor(Shape.of(2, 2), y)));
    };

    @Test
    void exactSaliencyIsHalfTheHessianDiagonalTimesTheSquaredWeight() {
        FixedContext ctx = FixedContext.dense(2, new int[] {2}, new float[][] {W}, 1)
                .with(HessianVectorProbe.class, HVP, BATCHES);
        float[] s = new ObdStrategy().score(new ObdOptions(Curvature.EXACT, 1, 100), ctx).get("a.weight");
        for (int i = 0; i < 4; i++) {
            assertThat((double) s[i]).isCloseTo(0.5 * H[i][i] * W[i] * W[i], within(1e-6));
        }
    }

    @Test
    void estimatedDiagonalsComeFromTheCurvatureProbeWithTheChosenEstimator() {
        float[] diag = {0.1f, 0.2f, 0.3f, 0.4f};
        CurvatureProbe probe = (estimator, batches, samples, seed) -> {
            assertThat(estimator).isEqualTo(CurvatureProbe.Estimator.EMPIRICAL_FISHER);
            assertThat(samples).as("every calibration input").isLessThanOrEqualTo(0);
            return new Weights(Map.of("a.weight", new Tensor(Shape.of(2, 2), diag)));
        };
        FixedContext ctx = FixedContext.dense(2, new int[] {2}, new float[][] {W}, 1)
                .with(CurvatureProbe.class, probe, BATCHES);
        float[] s = new ObdStrategy().score(new ObdOptions(Curvature.EMPIRICAL_FISHER, 3, 100), ctx).get("a.weight");
        for (int i = 0; i < 4; i++) {
            assertThat(s[i]).isCloseTo(0.5f * diag[i] * W[i] * W[i], within(1e-7f));
        }
    }

    @Test
    void gaussNewtonDrawsTheGivenNumberOfLabelsForEveryCalibrationInput() {
        List<Batch> batches = List.of(new Batch(Tensor.zeros(Shape.of(4, 2)), new int[] {0, 1, 0, 1}),
                new Batch(Tensor.zeros(Shape.of(2, 2)), new int[] {0, 1}));
        int[] seen = new int[1];
        CurvatureProbe probe = (estimator, b, samples, seed) -> {
            seen[0] = samples;
            return new Weights(Map.of("a.weight", Tensor.zeros(Shape.of(2, 2))));
        };
        FixedContext ctx = FixedContext.dense(2, new int[] {2}, new float[][] {W}, 1)
                .with(CurvatureProbe.class, probe, batches);
        new ObdStrategy().score(new ObdOptions(Curvature.GAUSS_NEWTON, 3, 100), ctx);
        assertThat(seen[0]).isEqualTo(6 * 3);
        new ObdStrategy().score(new ObdOptions(Curvature.HUTCHINSON, 5, 100), ctx);
        assertThat(seen[0]).isEqualTo(5);
    }

    @Test
    void theExactDiagonalRefusesNetworksAboveItsLimit() {
        FixedContext ctx = FixedContext.dense(2, new int[] {2}, new float[][] {W}, 1)
                .with(HessianVectorProbe.class, HVP, BATCHES);
        assertThatThrownBy(() -> new ObdStrategy().score(new ObdOptions(Curvature.EXACT, 1, 3), ctx))
                .hasMessageContaining("4 prunable weights", "exact_limit 3", "gauss-newton");
    }
}
