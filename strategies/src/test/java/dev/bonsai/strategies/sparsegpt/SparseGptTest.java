package dev.bonsai.strategies.sparsegpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.MaskTarget;
import dev.bonsai.api.prune.PruningOutcome;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.support.FixedContext;
import dev.bonsai.strategies.wanda.WandaComparison;
import dev.bonsai.strategies.wanda.WandaOptions;
import dev.bonsai.strategies.wanda.WandaStrategy;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SparseGPT against a separate transcription of the published procedure ({@link ReferenceSparseGpt}), and against
 * Wanda and magnitude pruning on a random layer with correlated inputs of unequal scales (the setting of the
 * authors' comparisons): 170 inputs, so that there are two column blocks (128 + 42) and a trailing N:M group of 2.
 */
class SparseGptTest {
    private static final int ROWS = 24;
    private static final int COLS = 170;
    private static final int TOKENS = 1024;
    private static final int BLOCK = 128;
    private final double[][] w = new double[ROWS][COLS];
    /** XᵀX in double precision. */
    private final double[][] gram = new double[COLS][COLS];

    SparseGptTest() {
        Random random = new Random(7);
        for (double[] row : w) {
            for (int j = 0; j < COLS; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] mix = new double[COLS][COLS];
        for (int a = 0; a < COLS; a++) {
            for (int b = 0; b < COLS; b++) {
                mix[a][b] = random.nextGaussian() / Math.sqrt(COLS) + (a == b ? 1 : 0);
            }
        }
        double[] scale = new double[COLS];
        for (int j = 0; j < COLS; j++) {
            scale[j] = random.nextDouble() * 2 + 0.1;
        }
        double[] z = new double[COLS];
        double[] x = new double[COLS];
        for (int t = 0; t < TOKENS; t++) {
            for (int j = 0; j < COLS; j++) {
                z[j] = random.nextGaussian();
            }
            for (int j = 0; j < COLS; j++) {
                double s = 0;
                for (int a = 0; a < COLS; a++) {
                    s += z[a] * mix[a][j];
                }
                x[j] = s * scale[j];
            }
            for (int a = 0; a < COLS; a++) {
                for (int b = 0; b < COLS; b++) {
                    gram[a][b] += x[a] * x[b];
                }
            }
        }
    }

    private double[][] hessian(double[][] g) {
        double[][] h = new double[COLS][COLS];
        for (int a = 0; a < COLS; a++) {
            for (int b = 0; b < COLS; b++) {
                h[a][b] = g[a][b] / TOKENS;
            }
        }
        return h;
    }

    private static double[] flat(double[][] a) {
        int cols = a[0].length;
        double[] out = new double[a.length * cols];
        for (int r = 0; r < a.length; r++) {
            System.arraycopy(a[r], 0, out, r * cols, cols);
        }
        return out;
    }

    private SparseGpt.Result prune(double sparsity, Structure.NOfM nm) {
        SparseGpt.Factor factor = SparseGpt.factor(flat(hessian(gram)), COLS, 0.01, "test");
        return SparseGpt.prune(flat(w), ROWS, COLS, factor, new BitSet(), sparsity, nm, BLOCK);
    }

    /** ‖X·(W − Ŵ)ᵀ‖² = Σ_rows δ·XᵀX·δᵀ. */
    private double reconstructionError(double[] pruned) {
        double total = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int a = 0; a < COLS; a++) {
                double da = w[r][a] - pruned[r * COLS + a];
                for (int b = 0; b < COLS; b++) {
                    total += da * gram[a][b] * (w[r][b] - pruned[r * COLS + b]);
                }
            }
        }
        return total;
    }

    @ParameterizedTest
    @CsvSource({"0.5, 0, 0", "0.7, 0, 0", "0.5, 2, 4", "0.5, 4, 8"})
    void equalsTheReferenceTranscriptionWithin1e5(double sparsity, int n, int m) {
        Structure.NOfM nm = m == 0 ? null : new Structure.NOfM(n, m);
        double[] ours = prune(sparsity, nm).weights();
        double[][] reference = ReferenceSparseGpt.prune(w, hessian(gram), sparsity, n, m, BLOCK, 0.01);
        double worst = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < COLS; j++) {
                assertThat(ours[r * COLS + j] == 0).as("zero at (%d, %d)", r, j).isEqualTo(reference[r][j] == 0);
                worst = Math.max(worst, Math.abs(ours[r * COLS + j] - reference[r][j]));
            }
        }
        assertThat(worst).isLessThan(1e-5);
    }

    @Test
    void sparsityZeroLeavesTheWeightsUnchanged() {
        SparseGpt.Result result = prune(0, null);
        assertThat(result.weights()).containsExactly(flat(w));
        assertThat(result.kept().cardinality()).isEqualTo(ROWS * COLS);
    }

    @Test
    void eachBlockLosesItsOwnRoundedShare() {
        SparseGpt.Result result = prune(0.7, null);
        long zeros = 0;
        for (double v : result.weights()) {
            zeros += v == 0 ? 1 : 0;
        }
        long expected = Math.round(0.7 * ROWS * BLOCK) + Math.round(0.7 * ROWS * (COLS - BLOCK));
        assertThat(zeros).isEqualTo(expected);
        assertThat(ROWS * COLS - result.kept().cardinality()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"2, 4", "4, 8", "1, 4"})
    void everyNOfMGroupKeepsExactlyNAndTheTrailingGroupMinOfNAndItsWidth(int n, int m) {
        double[] pruned = prune(1 - (double) n / m, new Structure.NOfM(n, m)).weights();
        for (int r = 0; r < ROWS; r++) {
            for (int g = 0; g < COLS; g += m) {
                int width = Math.min(m, COLS - g);
                int nonZero = 0;
                for (int j = g; j < g + width; j++) {
                    nonZero += pruned[r * COLS + j] != 0 ? 1 : 0;
                }
                assertThat(nonZero).as("row %d, group at %d of %d columns", r, g, width).isEqualTo(Math.min(n, width));
            }
        }
    }

    @Test
    void reconstructsBetterThanWandaWhichReconstructsBetterThanMagnitudeAtHalfSparsity() {
        double sparseGpt = reconstructionError(prune(0.5, null).weights());
        double wanda = reconstructionError(selected(wandaScores(), Scope.ROW));
        double[] magnitude = new double[ROWS * COLS];
        for (int i = 0; i < magnitude.length; i++) {
            magnitude[i] = Math.abs(w[i / COLS][i % COLS]);
        }
        double magnitudeError = reconstructionError(selected(magnitude, Scope.LAYERWISE));
        assertThat(sparseGpt).isLessThan(wanda);
        assertThat(wanda).isLessThan(magnitudeError);
    }

    /** Wanda's scores from the strategy itself, with ‖X_j‖² = (XᵀX)_jj. */
    private double[] wandaScores() {
        float[] squares = new float[COLS];
        for (int j = 0; j < COLS; j++) {
            squares[j] = (float) gram[j][j];
        }
        LayerInputProbe probe = new LayerInputProbe() {
            @Override
            public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
                return Map.of("a.weight", new Tensor(Shape.of(COLS), squares));
            }

            @Override
            public Map<String, Tensor> inputGram(List<Batch> batches, List<String> weightNames) {
                throw new AssertionError("wanda needs no Gram matrix");
            }
        };
        WandaOptions options = new WandaOptions(WandaComparison.ROW);
        assertThat(new WandaStrategy().scope(options)).contains(Scope.ROW);
        float[] s = new WandaStrategy().score(options, context(MaskSet.empty()).with(LayerInputProbe.class, probe,
                List.of(new Batch(Tensor.zeros(Shape.of(1, COLS)), new int[] {0})))).get("a.weight");
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i];
        }
        return out;
    }

    /** {@link #w} with the half of lowest {@code scores} zeroed under {@code scope}. */
    private double[] selected(double[] scores, Scope scope) {
        float[] f = new float[scores.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) scores[i];
        }
        FixedContext context = context(MaskSet.empty());
        Mask mask = new MaskSelector().select(new Scores(Map.of("a.weight", f)), context.prunable(), MaskSet.empty(),
                0.5, scope, new Structure.Unstructured()).get("a.weight").orElseThrow();
        double[] out = flat(w);
        for (int i = 0; i < out.length; i++) {
            out[i] = mask.kept(i) ? out[i] : 0;
        }
        return out;
    }

    private FixedContext context(MaskSet current) {
        float[] data = new float[ROWS * COLS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) w[i / COLS][i % COLS];
        }
        FixedContext dense = FixedContext.dense(COLS, new int[] {ROWS}, new float[][] {data}, 1);
        return new FixedContext(dense.spec(), dense.weights(), current, 1);
    }

    /** The strategy with probes that give {@code g} (rounded to floats) and {@link #TOKENS} input rows. */
    private FixedContext probed(MaskSet current, float[] g) {
        LayerInputProbe grams = new LayerInputProbe() {
            @Override
            public Map<String, Tensor> inputSquareSums(List<Batch> batches) {
                throw new AssertionError("sparsegpt needs the Gram matrix");
            }

            @Override
            public Map<String, Tensor> inputGram(List<Batch> batches, List<String> weightNames) {
                assertThat(weightNames).containsExactly("a.weight");
                return Map.of("a.weight", new Tensor(Shape.of(COLS, COLS), g));
            }
        };
        LayerInputMagnitudeProbe rows = (batches, threshold) -> Map.of("a.weight",
                new LayerInputMagnitudeProbe.Magnitudes(TOKENS, threshold, Tensor.zeros(Shape.of(COLS)),
                        Tensor.zeros(Shape.of(COLS)), new long[COLS]));
        List<Batch> calibration = List.of(new Batch(Tensor.zeros(Shape.of(1, COLS)), new int[] {0}));
        return context(current).with(LayerInputProbe.class, grams, calibration)
                .with(LayerInputMagnitudeProbe.class, rows, calibration);
    }

    /**
     * Small inputs (the Gram scaled by 1e-4) make the dead input's H_jj = 1 dominate the dampening, so that a Gram
     * not divided by the number of rows would give other weights.
     */
    @Test
    void theStrategyScalesTheGramByTheInputRowsWhenAnInputIsDeadAndZeroesItsColumn() {
        int dead = 5;
        float[] g = new float[COLS * COLS];
        double[][] rounded = new double[COLS][COLS];
        for (int a = 0; a < COLS; a++) {
            for (int b = 0; b < COLS; b++) {
                g[a * COLS + b] = a == dead || b == dead ? 0f : (float) (gram[a][b] * 1e-4);
                rounded[a][b] = g[a * COLS + b];
            }
        }
        PruningOutcome outcome = new SparseGptStrategy().prune(new SparseGptOptions(0.01, BLOCK),
                probed(MaskSet.empty(), g), new MaskTarget(Map.of("a.weight", 0.6), new Structure.Unstructured()));
        double[][] reference = ReferenceSparseGpt.prune(w, hessian(rounded), 0.6, 0, 0, BLOCK, 0.01);
        float[] ours = outcome.weights().get("a.weight").data();
        Mask mask = outcome.masks().get("a.weight").orElseThrow();
        for (int r = 0; r < ROWS; r++) {
            assertThat(ours[r * COLS + dead]).isZero();
            for (int j = 0; j < COLS; j++) {
                assertThat((double) ours[r * COLS + j]).isCloseTo(reference[r][j],
                        org.assertj.core.api.Assertions.within(1e-5));
                if (!mask.kept(r * COLS + j)) {
                    assertThat(ours[r * COLS + j]).isZero();
                }
            }
        }
    }

    @Test
    void positionsPrunedEarlierStayPrunedAndCountTowardTheBlock() {
        BitSet kept = new BitSet(ROWS * COLS);
        kept.set(0, ROWS * COLS);
        Random random = new Random(3);
        for (int i = 0; i < ROWS * COLS; i++) {
            if (random.nextDouble() < 0.3) {
                kept.clear(i);
            }
        }
        Mask before = new Mask(Shape.of(ROWS, COLS), kept);
        float[] g = new float[COLS * COLS];
        for (int a = 0; a < COLS; a++) {
            for (int b = 0; b < COLS; b++) {
                g[a * COLS + b] = (float) gram[a][b];
            }
        }
        PruningOutcome outcome = new SparseGptStrategy().prune(new SparseGptOptions(0.01, BLOCK),
                probed(new MaskSet(Map.of("a.weight", before)), g),
                new MaskTarget(Map.of("a.weight", 0.5), new Structure.Unstructured()));
        Mask after = outcome.masks().get("a.weight").orElseThrow();
        BitSet revived = after.keptBits();
        revived.andNot(kept);
        assertThat(revived.isEmpty()).as("earlier pruned positions kept again").isTrue();
        assertThat(after.prunedCount()).isEqualTo(Math.round(0.5 * ROWS * BLOCK) + Math.round(0.5 * ROWS * (COLS - BLOCK)));
    }

    @Test
    void refusesStructuredUnitsABlocksizeThatSplitsGroupsAndScoring() {
        SparseGptStrategy strategy = new SparseGptStrategy();
        FixedContext context = probed(MaskSet.empty(), new float[COLS * COLS]);
        assertThatThrownBy(() -> strategy.prune(new SparseGptOptions(0.01, BLOCK), context, new MaskTarget(
                Map.of("a.weight", 0.5), new Structure.Groups(Structure.Unit.NEURONS))))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("unstructured or N:M");
        assertThatThrownBy(() -> SparseGpt.prune(flat(w), ROWS, COLS, SparseGpt.factor(flat(hessian(gram)), COLS,
                0.01, "t"), new BitSet(), 0.5, new Structure.NOfM(2, 4), 126))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("multiple of m = 4");
        assertThatThrownBy(() -> strategy.score(new SparseGptOptions(0.01, BLOCK), context))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("selects its masks itself");
        assertThat(strategy.scope(new SparseGptOptions(0.01, BLOCK))).contains(Scope.LAYERWISE);
    }
}
