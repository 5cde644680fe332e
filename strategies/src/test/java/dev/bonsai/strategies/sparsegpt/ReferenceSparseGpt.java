package dev.bonsai.strategies.sparsegpt;

import java.util.Arrays;

/**
 * A plain double-precision transcription of the published SparseGPT procedure, written for tests apart from
 * {@link SparseGpt}: two-dimensional arrays, a Gauss–Jordan inverse, copies of each block (W1, Q1, E1) as in the
 * authors' code, and masks from a stable sort of all candidates (ties by lower index).
 */
final class ReferenceSparseGpt {
    private ReferenceSparseGpt() {
    }

    /** Prunes {@code w} [rows][cols] with H [cols][cols]; n and m are 0 for unstructured. */
    static double[][] prune(double[][] w0, double[][] h0, double sparsity, int n, int m, int blocksize,
            double percdamp) {
        int rows = w0.length;
        int cols = w0[0].length;
        double[][] h = new double[cols][];
        double[][] w = new double[rows][];
        for (int j = 0; j < cols; j++) {
            h[j] = h0[j].clone();
        }
        for (int r = 0; r < rows; r++) {
            w[r] = w0[r].clone();
        }
        double mean = 0;
        for (int j = 0; j < cols; j++) {
            if (h[j][j] == 0) {
                h[j][j] = 1;
                for (int r = 0; r < rows; r++) {
                    w[r][j] = 0;
                }
            }
            mean += h[j][j] / cols;
        }
        for (int j = 0; j < cols; j++) {
            h[j][j] += percdamp * mean;
        }
        double[][] u = upperCholesky(inverse(h));
        for (int i1 = 0; i1 < cols; i1 += blocksize) {
            int i2 = Math.min(i1 + blocksize, cols);
            int c = i2 - i1;
            double[][] w1 = new double[rows][c];
            double[][] q1 = new double[rows][c];
            double[][] e1 = new double[rows][c];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(w[r], i1, w1[r], 0, c);
            }
            double[] d = new double[c];
            for (int i = 0; i < c; i++) {
                d[i] = u[i1 + i][i1 + i];
            }
            boolean[][] mask = new boolean[rows][c];
            if (m == 0) {
                double[] score = new double[rows * c];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < c; i++) {
                        score[r * c + i] = w1[r][i] * w1[r][i] / (d[i] * d[i]);
                    }
                }
                Integer[] order = stableOrder(score);
                long k = (long) Math.floor(sparsity * rows * c + 0.5);
                for (int t = 0; t < k; t++) {
                    mask[order[t] / c][order[t] % c] = true;
                }
            }
            for (int i = 0; i < c; i++) {
                if (m > 0 && i % m == 0) {
                    int g = Math.min(i + m, c) - i;
                    for (int r = 0; r < rows; r++) {
                        double[] score = new double[g];
                        for (int t = 0; t < g; t++) {
                            score[t] = w1[r][i + t] * w1[r][i + t] / (d[i + t] * d[i + t]);
                        }
                        Integer[] order = stableOrder(score);
                        for (int t = 0; t < Math.max(0, g - n); t++) {
                            mask[r][i + order[t]] = true;
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    double wi = w1[r][i];
                    double q = mask[r][i] ? 0 : wi;
                    q1[r][i] = q;
                    double err = (wi - q) / d[i];
                    for (int t = i; t < c; t++) {
                        w1[r][t] -= err * u[i1 + i][i1 + t];
                    }
                    e1[r][i] = err;
                }
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(q1[r], 0, w[r], i1, c);
                for (int t = i2; t < cols; t++) {
                    double s = 0;
                    for (int a = 0; a < c; a++) {
                        s += e1[r][a] * u[i1 + a][t];
                    }
                    w[r][t] -= s;
                }
            }
        }
        return w;
    }

    private static Integer[] stableOrder(double[] score) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b])); // a stable merge sort
        return order;
    }

    /** Gauss–Jordan elimination with partial pivoting. */
    static double[][] inverse(double[][] a0) {
        int n = a0.length;
        double[][] a = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a0[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            double p = a[col][col];
            for (int t = 0; t < 2 * n; t++) {
                a[col][t] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && a[r][col] != 0) {
                    double f = a[r][col];
                    for (int t = 0; t < 2 * n; t++) {
                        a[r][t] -= f * a[col][t];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** U upper triangular with A = Uᵀ·U, row by row (the Cholesky–Banachiewicz order on Uᵀ). */
    static double[][] upperCholesky(double[][] a) {
        int n = a.length;
        double[][] u = new double[n][n];
        for (int i = 0; i < n; i++) {
            double s = a[i][i];
            for (int k = 0; k < i; k++) {
                s -= u[k][i] * u[k][i];
            }
            u[i][i] = Math.sqrt(s);
            for (int j = i + 1; j < n; j++) {
                double t = a[i][j];
                for (int k = 0; k < i; k++) {
                    t -= u[k][i] * u[k][j];
                }
                u[i][j] = t / u[i][i];
            }
        }
        return u;
    }
}
