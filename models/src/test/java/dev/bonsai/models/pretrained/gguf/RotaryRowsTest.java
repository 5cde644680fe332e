package dev.bonsai.models.pretrained.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RotaryRowsTest {

    @Test
    void rowsMoveAsTheConversionStates() {
        // 2 heads of width 4, one column: row r holds r.
        float[] interleaved = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] halfSplit = RotaryRows.toHalfSplit(interleaved, 2, 4, 1);
        assertThat(halfSplit).containsExactly(0, 2, 1, 3, 4, 6, 5, 7);
        assertThat(RotaryRows.toInterleaved(halfSplit, 2, 4, 1)).containsExactly(interleaved);
    }

    @Test
    void wholeRowsMoveAndTheInverseUndoesIt() {
        Random random = new Random(3);
        float[] w = new float[3 * 6 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextFloat();
        }
        float[] moved = RotaryRows.toHalfSplit(w, 3, 6, 5);
        // Head 1, half-split row 6 + 3 + 1 = 10 is interleaved row 6 + 2·1 + 1 = 9.
        for (int c = 0; c < 5; c++) {
            assertThat(moved[10 * 5 + c]).isEqualTo(w[9 * 5 + c]);
        }
        assertThat(RotaryRows.toInterleaved(moved, 3, 6, 5)).containsExactly(w);
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
        float[] wqSplit = RotaryRows.toHalfSplit(wq, heads, hd, width);
        float[] wkSplit = RotaryRows.toHalfSplit(wk, heads, hd, width);
        for (int h = 0; h < heads; h++) {
            double interleaved = dot(rotate(project(wq, h, hd, x), 3, true), rotate(project(wk, h, hd, y), 7, true));
            double split = dot(rotate(project(wqSplit, h, hd, x), 3, false),
                    rotate(project(wkSplit, h, hd, y), 7, false));
            assertThat(split).isCloseTo(interleaved, within(1e-9));
        }
    }

    @Test
    void refusesAnOddHeadOrAWrongSize() {
        assertThatThrownBy(() -> RotaryRows.toHalfSplit(new float[6], 1, 3, 2)).hasMessageContaining("even width 3");
        assertThatThrownBy(() -> RotaryRows.toHalfSplit(new float[7], 1, 4, 2)).hasMessageContaining("not 7");
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
