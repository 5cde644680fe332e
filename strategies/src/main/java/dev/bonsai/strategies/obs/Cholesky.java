package dev.bonsai.strategies.obs;

import dev.bonsai.api.BonsaiException;

/**
 * Cholesky factorisation of symmetric positive-definite matrices (row-major doubles) and what it solves. Shared by
 * the strategies that work from the dampened layer-input Gram matrix (obs, sparsegpt).
 */
public final class Cholesky {
    private final int n;
    private final double[] l;

    /**
     * Factorises {@code a} (n × n, row-major, symmetric positive definite) as L·Lᵀ.
     *
     * @param what names the matrix in the error
     * @throws BonsaiException when {@code a} is not positive definite
     */
    public Cholesky(double[] a, int n, String what) {
        this.n = n;
        this.l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= l[j * n + k] * l[j * n + k];
            }
            if (!(d > 0)) {
                throw new BonsaiException(what + " is not positive definite (pivot " + j + " is " + d
                        + "); raise the strategy's dampening");
            }
            double ljj = Math.sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = s / ljj;
            }
        }
    }

    /** Solves A·x = b in place. */
    public void solve(double[] b) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }

    /** A⁻¹, row-major. */
    public double[] inverse() {
        double[] inv = new double[n * n];
        double[] column = new double[n];
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(column, 0);
            column[j] = 1;
            solve(column);
            for (int i = 0; i < n; i++) {
                inv[i * n + j] = column[i];
            }
        }
        return inv;
    }

    /** The upper factor U of A = Uᵀ·U (that is, Lᵀ), row-major. */
    public double[] upper() {
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                u[j * n + i] = l[i * n + j];
            }
        }
        return u;
    }
}
