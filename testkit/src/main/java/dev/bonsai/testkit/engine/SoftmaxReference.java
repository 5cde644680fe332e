package dev.bonsai.testkit.engine;

import dev.bonsai.api.model.Weights;

/**
 * Exact derivatives, in double precision, of the mean cross-entropy of a linear softmax classifier
 * {@code z = W x + b} ({@code W [C, D]}, {@code b [C]}): the model on which second-order probes can be checked
 * against closed forms.
 *
 * <p>Parameters are flattened in model order: {@code W} row-major (index {@code c·D + d}), then {@code b} (index
 * {@code C·D + c}). With {@code a = [x; 1]} and {@code p = softmax(z)}, one sample's gradient at label y is
 * {@code (p_c − [c = y]) a_d} and its Hessian is {@code (p_c [c = c'] − p_c p_c') a_d a_d'}.
 */
public final class SoftmaxReference {
    private final int classes;
    private final int inputs;
    private final double[] w;
    private final double[] b;

    /**
     * A classifier with the weights {@code weights.get(layer + ".weight")} and {@code .bias}.
     *
     * @param weights the parameters
     * @param layer   the dense layer's name
     */
    public SoftmaxReference(Weights weights, String layer) {
        float[] wf = weights.get(layer + ".weight").data();
        float[] bf = weights.get(layer + ".bias").data();
        this.classes = bf.length;
        this.inputs = wf.length / classes;
        this.w = new double[wf.length];
        for (int i = 0; i < wf.length; i++) {
            w[i] = wf[i];
        }
        this.b = new double[classes];
        for (int i = 0; i < classes; i++) {
            b[i] = bf[i];
        }
    }

    /** The number of parameters, {@code C·D + C}. */
    public int size() {
        return classes * inputs + classes;
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** The class probabilities of sample {@code s} of {@code features} (rows of D values). */
    public double[] probabilities(float[] features, int s) {
        double[] z = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double sum = b[c];
            for (int d = 0; d < inputs; d++) {
                sum += w[c * inputs + d] * features[s * inputs + d];
            }
            z[c] = sum;
            max = Math.max(max, sum);
        }
        double total = 0;
        for (int c = 0; c < classes; c++) {
            z[c] = Math.exp(z[c] - max);
            total += z[c];
        }
        for (int c = 0; c < classes; c++) {
            z[c] /= total;
        }
        return z;
    }

    /** The gradient of sample {@code s}'s cross-entropy at label {@code label}, flattened. */
    public double[] gradient(float[] features, int s, int label) {
        double[] p = probabilities(features, s);
        double[] g = new double[size()];
        for (int c = 0; c < classes; c++) {
            double r = p[c] - (c == label ? 1 : 0);
            for (int d = 0; d < inputs; d++) {
                g[c * inputs + d] = r * features[s * inputs + d];
            }
            g[classes * inputs + c] = r;
        }
        return g;
    }

    /** The Hessian of the mean cross-entropy of samples {@code [0, n)}, {@code [size, size]} row-major. */
    public double[] hessian(float[] features, int n) {
        int m = size();
        double[] h = new double[m * m];
        double[] a = new double[inputs + 1];
        for (int s = 0; s < n; s++) {
            double[] p = probabilities(features, s);
            for (int d = 0; d < inputs; d++) {
                a[d] = features[s * inputs + d];
            }
            a[inputs] = 1;
            for (int c = 0; c < classes; c++) {
                for (int d = 0; d <= inputs; d++) {
                    int i = index(c, d);
                    for (int c2 = 0; c2 < classes; c2++) {
                        double curvature = (c == c2 ? p[c] : 0) - p[c] * p[c2];
                        for (int d2 = 0; d2 <= inputs; d2++) {
                            h[i * m + index(c2, d2)] += curvature * a[d] * a[d2] / n;
                        }
                    }
                }
            }
        }
        return h;
    }

    private int index(int c, int d) {
        return d == inputs ? classes * inputs + c : c * inputs + d;
    }
}
