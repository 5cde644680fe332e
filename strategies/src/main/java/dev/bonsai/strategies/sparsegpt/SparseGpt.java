package dev.bonsai.strategies.sparsegpt;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.prune.MaskTarget;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.obs.Cholesky;
import java.util.Arrays;
import java.util.BitSet;

/**
 * SparseGPT on one weight matrix {@code [rows, cols]} (row-major), in double precision: the mask is chosen while the
 * weights are updated, column block by column block.
 *
 * <p>E. Frantar and D. Alistarh, "SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot", ICML
 * 2023. With H = XᵀX / rows of the layer's inputs: inputs that are never non-zero (H_jj = 0) get H_jj = 1 and their
 * weights W[:, j] = 0; H += λ·mean(diag H)·I; U is the upper Cholesky factor of H⁻¹. The columns are taken in blocks
 * of {@code blocksize}. Unstructured, each block loses the round(s · rows · width) weights of lowest w² / U_jj² over
 * the whole block (all rows at once, so rows and columns lose different shares: the mask adapts), ties by lower
 * index of the block's row-major layout. N:M, each group of m columns of a row keeps the n of highest w² / U_jj²,
 * chosen at the group's first column from the weights as updated so far; a trailing group of g &lt; m columns keeps
 * min(n, g). Column by column, the pruned weights are zeroed and their error e = (w − q) / U_jj is spread over the
 * block's later columns (w −= e·U[j, j+1:]); after the block, over all later columns at once (W[:, after] −=
 * E·U[block, after]).
 *
 * <p>Positions already pruned (earlier rounds) are pruned again first and count toward each block's or group's
 * number; a unit with more of them than its number loses only those.
 */
public final class SparseGpt {

    private SparseGpt() {
    }

    /**
     * The factor of a layer's input statistics that the sweep uses.
     *
     * @param upper U, the upper Cholesky factor of the dampened H⁻¹, {@code [cols, cols]} row-major
     * @param dead  the inputs whose H_jj was 0
     */
    public record Factor(double[] upper, boolean[] dead) {
    }

    /**
     * The pruned matrix.
     *
     * @param weights the updated weights, {@code [rows, cols]} row-major, exactly 0 where pruned
     * @param kept    the kept positions
     */
    public record Result(double[] weights, BitSet kept) {
    }

    /**
     * Prepares H = XᵀX / rows ({@code [cols, cols]} row-major; not modified): dead inputs get H_jj = 1, then
     * H += dampening · mean(diag H) · I, and U = the upper Cholesky factor of H⁻¹.
     *
     * @param name names the layer in errors
     * @throws BonsaiException when the dampened H or its inverse is not positive definite
     */
    public static Factor factor(double[] h, int cols, double dampening, String name) {
        if (h.length != (long) cols * cols) {
            throw new BonsaiException("the input Hessian of '" + name + "' has " + h.length + " entries, not " + cols
                    + "²");
        }
        double[] a = h.clone();
        boolean[] dead = new boolean[cols];
        double trace = 0;
        for (int j = 0; j < cols; j++) {
            if (a[j * cols + j] == 0) {
                dead[j] = true;
                a[j * cols + j] = 1;
            }
            trace += a[j * cols + j];
        }
        double damp = dampening * trace / cols;
        for (int j = 0; j < cols; j++) {
            a[j * cols + j] += damp;
        }
        double[] inverse = new Cholesky(a, cols, "the dampened input Hessian of '" + name + "'").inverse();
        return new Factor(new Cholesky(inverse, cols, "the inverse input Hessian of '" + name + "'").upper(), dead);
    }

    /**
     * Prunes {@code w} (not modified).
     *
     * @param pruned    positions pruned already, which stay pruned; empty for none
     * @param sparsity  the unstructured target in [0, 1] (for N:M, 1 − n/m)
     * @param nm        the N:M structure, or null for unstructured
     * @param blocksize columns per block, a multiple of m for N:M
     * @throws BonsaiException for a blocksize that is not a multiple of m, or weights that are not finite
     */
    public static Result prune(double[] w, int rows, int cols, Factor factor, BitSet pruned, double sparsity,
            Structure.NOfM nm, int blocksize) {
        if (nm != null && blocksize % nm.m() != 0) {
            throw new BonsaiException("sparsegpt blocksize " + blocksize + " is not a multiple of m = " + nm.m()
                    + " of the " + nm.label() + " structure; set blocksize to a multiple of " + nm.m());
        }
        double[] u = factor.upper();
        double[] weights = w.clone();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                if (factor.dead()[j]) {
                    weights[r * cols + j] = 0;
                }
            }
        }
        BitSet kept = new BitSet(rows * cols);
        kept.set(0, rows * cols);
        kept.andNot(pruned);
        double[] pending = new double[cols];
        for (int i1 = 0; i1 < cols; i1 += blocksize) {
            int i2 = Math.min(i1 + blocksize, cols);
            int width = i2 - i1;
            double[] errors = new double[rows * width];
            if (nm == null) {
                selectBlock(weights, rows, cols, u, i1, i2, kept, MaskTarget.count(sparsity, (long) rows * width));
            }
            for (int i = 0; i < width; i++) {
                int col = i1 + i;
                if (nm != null && i % nm.m() == 0) {
                    int end = Math.min(i + nm.m(), width);
                    for (int r = 0; r < rows; r++) {
                        selectGroup(weights, cols, u, r, col, i1 + end, kept, Math.min(nm.n(), end - i));
                    }
                }
                double d = u[col * cols + col];
                for (int r = 0; r < rows; r++) {
                    int at = r * cols + col;
                    if (kept.get(at)) {
                        continue;
                    }
                    double e = weights[at] / d;
                    for (int t = col + 1; t < i2; t++) {
                        weights[r * cols + t] -= e * u[col * cols + t];
                    }
                    weights[at] = 0;
                    errors[r * width + i] = e;
                }
            }
            if (i2 < cols) {
                for (int r = 0; r < rows; r++) {
                    Arrays.fill(pending, i2, cols, 0);
                    for (int a = 0; a < width; a++) {
                        double e = errors[r * width + a];
                        if (e == 0) {
                            continue;
                        }
                        int from = (i1 + a) * cols;
                        for (int t = i2; t < cols; t++) {
                            pending[t] += e * u[from + t];
                        }
                    }
                    for (int t = i2; t < cols; t++) {
                        weights[r * cols + t] -= pending[t];
                    }
                }
            }
        }
        return new Result(weights, kept);
    }

    /** w² / U_jj² of the weight at {@code at} in column {@code col}. */
    private static double saliency(double[] weights, double[] u, int cols, int at, int col) {
        double d = u[col * cols + col];
        double s = weights[at] * weights[at] / (d * d);
        if (Double.isNaN(s)) {
            throw new BonsaiException("sparsegpt met a weight that is not a number at row " + at / cols + ", column "
                    + col + "; the weights must be finite");
        }
        return s;
    }

    /**
     * Unstructured: the block's columns [i1, i2) lose {@code count} positions in all, those pruned already first,
     * then the kept ones of lowest saliency, ties by lower index of the block's row-major layout.
     */
    private static void selectBlock(double[] weights, int rows, int cols, double[] u, int i1, int i2, BitSet kept,
            long count) {
        int width = i2 - i1;
        int size = rows * width;
        double[] saliency = new double[size];
        int live = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
                int at = r * cols + i1 + i;
                if (kept.get(at)) {
                    saliency[live++] = saliency(weights, u, cols, at, i1 + i);
                }
            }
        }
        long need = count - (size - live);
        if (need <= 0) {
            return;
        }
        double[] sorted = Arrays.copyOf(saliency, live);
        Arrays.sort(sorted);
        double threshold = sorted[(int) need - 1];
        long below = 0;
        for (double s : sorted) {
            if (s < threshold) {
                below++;
            } else {
                break;
            }
        }
        long ties = need - below;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
                int at = r * cols + i1 + i;
                if (!kept.get(at)) {
                    continue;
                }
                double s = saliency(weights, u, cols, at, i1 + i);
                if (s < threshold) {
                    kept.clear(at);
                } else if (s == threshold && ties > 0) {
                    kept.clear(at);
                    ties--;
                }
            }
        }
    }

    /**
     * N:M: the group of row {@code r} over columns [from, to) keeps at most {@code keep} positions: the kept ones of
     * highest saliency, ties going to the higher index (the lower index is pruned first).
     */
    private static void selectGroup(double[] weights, int cols, double[] u, int r, int from, int to, BitSet kept,
            int keep) {
        int live = 0;
        for (int col = from; col < to; col++) {
            if (kept.get(r * cols + col)) {
                live++;
            }
        }
        for (int prune = live - keep; prune > 0; prune--) {
            int lowest = -1;
            double low = Double.POSITIVE_INFINITY;
            for (int col = from; col < to; col++) {
                int at = r * cols + col;
                if (kept.get(at)) {
                    double s = saliency(weights, u, cols, at, col);
                    if (lowest < 0 || s < low) {
                        lowest = at;
                        low = s;
                    }
                }
            }
            kept.clear(lowest);
        }
    }
}
