package dev.bonsai.strategies.obs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.strategies.support.FixedContext;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Layerwise OBS against independent computations: the saliency from a Gauss–Jordan inverse, the corrected rows
 * against least squares solved from X itself, a single removal against Hassibi and Stork's closed form.
 */
class ObsStrategyTest {
    private static final int N = 40;
    private static final int IN = 5;
    private static final int OUT = 3;
    private static final double DAMPENING = 0.01;
    private final double[][] x = new double[N][IN];
    private final float[] w = new float[OUT * IN];
    private final FixedContext context;

    ObsStrategyTest() {
        SplittableRandom r = new SplittableRandom(5);
        for (double[] row : x) {
            for (int j = 0; j < IN; j++) {
                row[j] = r.nextDouble(-1, 1) + (j == 1 ? row[0] : 0); // correlated inputs make corrections matter
            }
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextDouble(-1, 1);
        }
        float[] gram = new float[IN * IN];
        for (int a = 0; a < IN; a++) {
            for (int b = 0; b < IN; b++) {
                double s = 0;
                for (double[] row : x) {
                    s += row[a] * row[b];
                }
                gram[a * IN + b] = (float) s;
            }
        }
        LayerInputProbe probe = new LayerInputProbe() {
            @Override
            public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
                throw new AssertionError("obs needs the Gram matrix");
            }

            @Override
            public Map<String, Tensor> inputGram(List<Batch> batches, List<String> names) {
                return Map.of("a.weight", new Tensor(Shape.of(IN, IN), gram));
            }
        };
        context = FixedContext.dense(IN, new int[] {OUT}, new float[][] {w}, 1).with(LayerInputProbe.class, probe,
                List.of(new Batch(Tensor.zeros(Shape.of(1, IN)), new int[] {0})));
    }

    private double[][] dampenedHessian() {
        double[][] h = new double[IN][IN];
        double trace = 0;
        for (int a = 0; a < IN; a++) {
            for (int b = 0; b < IN; b++) {
                for (double[] row : x) {
                    h[a][b] += row[a] * row[b];
                }
            }
            trace += h[a][a];
        }
        for (int a = 0; a < IN; a++) {
            h[a][a] += DAMPENING * trace / IN;
        }
        return h;
    }

    /** Gauss–Jordan elimination with partial pivoting: solves A·X = B for several right-hand sides. */
    private static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] aug = new double[n][n + m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, aug[i], 0, n);
            System.arraycopy(b[i], 0, aug[i], n, m);
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int i = c + 1; i < n; i++) {
                if (Math.abs(aug[i][c]) > Math.abs(aug[p][c])) {
                    p = i;
                }
            }
            double[] t = aug[c];
            aug[c] = aug[p];
            aug[p] = t;
            for (int i = 0; i < n; i++) {
                if (i != c) {
                    double f = aug[i][c] / aug[c][c];
                    for (int j = c; j < n + m; j++) {
                        aug[i][j] -= f * aug[c][j];
                    }
                }
            }
        }
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i][j] = aug[i][n + j] / aug[i][i];
            }
        }
        return out;
    }

    private static double[][] identity(int n) {
        double[][] id = new double[n][n];
        for (int i = 0; i < n; i++) {
            id[i][i] = 1;
        }
        return id;
    }

    private static MaskSet mask(int... prunedIndices) {
        BitSet kept = new BitSet();
        kept.set(0, OUT * IN);
        for (int i : prunedIndices) {
            kept.clear(i);
        }
        return new MaskSet(Map.of("a.weight", new Mask(Shape.of(OUT, IN), kept)));
    }

    @Test
    void saliencyIsTheSquaredWeightOverTwiceTheInverseHessianDiagonal() {
        double[][] inverse = solve(dampenedHessian(), identity(IN));
        float[] s = new ObsStrategy().score(new ObsOptions(DAMPENING, ObsUpdate.EXACT), context).get("a.weight");
        for (int i = 0; i < w.length; i++) {
            int q = i % IN;
            assertThat((double) s[i]).isCloseTo(w[i] * w[i] / (2 * inverse[q][q]), within(1e-5 * (1 + s[i])));
        }
    }

    @Test
    void aSingleRemovalMatchesHassibiAndStorksClosedForm() {
        int q = 2;
        Weights corrected = new ObsStrategy().compensate(new ObsOptions(DAMPENING, ObsUpdate.EXACT), context, mask(q))
                .orElseThrow();
        double[][] inverse = solve(dampenedHessian(), identity(IN));
        float[] got = corrected.get("a.weight").data();
        for (int j = 0; j < IN; j++) {
            double expected = w[j] - w[q] / inverse[q][q] * inverse[j][q];
            assertThat((double) got[j]).isCloseTo(j == q ? 0 : expected, within(1e-5));
        }
        for (int j = IN; j < OUT * IN; j++) {
            assertThat(got[j]).isEqualTo(w[j]);
        }
    }

    @Test
    void severalRemovalsGiveTheLeastSquaresReconstructionSolvedFromTheInputs() {
        int[] pruned = {0, 3, 6, 7, 14};
        Weights corrected = new ObsStrategy().compensate(new ObsOptions(DAMPENING, ObsUpdate.EXACT), context,
                mask(pruned)).orElseThrow();
        double[][] h = dampenedHessian();
        MaskSet masks = mask(pruned);
        Mask m = masks.get("a.weight").orElseThrow();
        for (int r = 0; r < OUT; r++) {
            final int row = r;
            int[] kept = java.util.stream.IntStream.range(0, IN).filter(q -> m.kept(row * IN + q)).toArray();
            // (H_KK) ŵ_K = (H w)_K restricted: minimise (w − ŵ)ᵀ H (w − ŵ) with ŵ_P = 0
            double[][] a = new double[kept.length][kept.length];
            double[][] b = new double[kept.length][1];
            for (int i = 0; i < kept.length; i++) {
                for (int j = 0; j < kept.length; j++) {
                    a[i][j] = h[kept[i]][kept[j]];
                }
                for (int j = 0; j < IN; j++) {
                    b[i][0] += h[kept[i]][j] * w[r * IN + j];
                }
            }
            double[][] solution = solve(a, b);
            float[] got = corrected.get("a.weight").data();
            for (int i = 0; i < kept.length; i++) {
                assertThat((double) got[r * IN + kept[i]]).isCloseTo(solution[i][0], within(1e-4));
            }
            for (int q = 0; q < IN; q++) {
                if (!m.kept(r * IN + q)) {
                    assertThat(got[r * IN + q]).isZero();
                }
            }
        }
    }

    @Test
    void theSequentialUpdateLowersTheReconstructionErrorAndIsExactForTheFirstColumn() {
        int[] pruned = {0, 3, 6, 7, 14};
        float[] sequential = new ObsStrategy().compensate(new ObsOptions(DAMPENING, ObsUpdate.SEQUENTIAL), context,
                mask(pruned)).orElseThrow().get("a.weight").data();
        float[] masked = w.clone();
        for (int i : pruned) {
            masked[i] = 0;
        }
        assertThat(error(sequential)).isLessThan(error(masked));
        // SparseGPT's first column sees the whole H⁻¹, so removing it alone is Hassibi and Stork's exact update
        float[] exact = new ObsStrategy().compensate(new ObsOptions(DAMPENING, ObsUpdate.EXACT), context, mask(0))
                .orElseThrow().get("a.weight").data();
        float[] seq = new ObsStrategy().compensate(new ObsOptions(DAMPENING, ObsUpdate.SEQUENTIAL), context, mask(0))
                .orElseThrow().get("a.weight").data();
        for (int i = 0; i < IN; i++) {
            assertThat(seq[i]).isCloseTo(exact[i], within(1e-4f));
        }
    }

    /** The dampened reconstruction error Σ_r (w_r − ŵ_r)ᵀ H (w_r − ŵ_r). */
    private double error(float[] candidate) {
        double[][] h = dampenedHessian();
        double total = 0;
        for (int r = 0; r < OUT; r++) {
            for (int a = 0; a < IN; a++) {
                for (int b = 0; b < IN; b++) {
                    total += (w[r * IN + a] - candidate[r * IN + a]) * h[a][b] * (w[r * IN + b] - candidate[r * IN + b]);
                }
            }
        }
        return total;
    }
}
