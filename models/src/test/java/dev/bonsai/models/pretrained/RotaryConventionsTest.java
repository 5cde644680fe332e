package dev.bonsai.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RotaryRows} against the property it exists for: attention scores are the same whether interleaved weights
 * are rotated in pairs {@code (2i, 2i+1)} or the permuted weights in pairs {@code (i, i + d/2)}.
 */
class RotaryConventionsTest {

    @Test
    void rowsMoveAsTheConversionStatesAndTheInverseUndoesIt() {
        // 2 heads of width 4, one column: row r holds r.
        Tensor interleaved = new Tensor(Shape.of(8, 1), new float[] {0, 1, 2, 3, 4, 5, 6, 7});
        Tensor halfSplit = RotaryRows.toHalfSplit(interleaved, 4);
        assertThat(halfSplit.data()).containsExactly(0, 2, 1, 3, 4, 6, 5, 7);
        assertThat(RotaryRows.toInterleaved(halfSplit, 4)).isEqualTo(interleaved);
    }

    /**
     * The point of the permutation: attention scores are the same whether the interleaved weights are rotated in
     * pairs (2i, 2i+1) or the permuted weights are rotated in pairs (i, i + d/2).
     */
    @Test
    void scoresAgreeBetweenTheTwoRotaryConventions() {
        int heads = 2;
        int hd = 8;
        int width = 5;
        Random random = new Random(11);
        float[] wq = randoms(random, heads * hd * width);
        float[] wk = randoms(random, heads * hd * width);
        double[] x = new double[width];
        double[] y = new double[width];
        for (int i = 0; i < width; i++) {
            x[i] = random.nextGaussian();
            y[i] = random.nextGaussian();
        }
        float[] wqSplit = RotaryRows.toHalfSplit(new Tensor(Shape.of(heads * hd, width), wq), hd).data();
        float[] wkSplit = RotaryRows.toHalfSplit(new Tensor(Shape.of(heads * hd, width), wk), hd).data();
        for (int h = 0; h < heads; h++) {
            double interleaved = dot(rotate(project(wq, h, hd, x), 3, true), rotate(project(wk, h, hd, y), 7, true));
            double split = dot(rotate(project(wqSplit, h, hd, x), 3, false),
                    rotate(project(wkSplit, h, hd, y), 7, false));
            assertThat(split).isCloseTo(interleaved, within(1e-9));
        }
    }

    private static double[] project(float[] w, int head, int hd, double[] x) {
        double[] out = new double[hd];
        for (int r = 0; r < hd; r++) {
            for (int c = 0; c < x.length; c++) {
                out[r] += w[(head * hd + r) * x.length + c] * x[c];
            }
        }
        return out;
    }

    /** Rotary embedding at {@code position}, θ = 10000: pair i rotates by position·θ^(−2i/d). */
    private static double[] rotate(double[] v, int position, boolean interleaved) {
        int d = v.length;
        double[] out = new double[d];
        for (int i = 0; i < d / 2; i++) {
            double angle = position * Math.pow(10000, -2.0 * i / d);
            int a = interleaved ? 2 * i : i;
            int b = interleaved ? 2 * i + 1 : i + d / 2;
            out[a] = v[a] * Math.cos(angle) - v[b] * Math.sin(angle);
            out[b] = v[a] * Math.sin(angle) + v[b] * Math.cos(angle);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] randoms(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
