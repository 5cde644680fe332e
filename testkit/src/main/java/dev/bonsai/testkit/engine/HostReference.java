package dev.bonsai.testkit.engine;

import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;

/**
 * Plain-Java reference computations in double precision, independent of any engine: the forward pass of models made
 * of dense, flatten, dropout (identity in evaluation) and activation layers, and cross-entropy and accuracy from
 * logits.
 */
public final class HostReference {
    private HostReference() {
    }

    /**
     * The logits of {@code spec} with {@code weights} for {@code batch} samples, {@code [batch, classes]} row-major.
     *
     * @throws IllegalArgumentException for a layer it cannot compute
     */
    public static double[] logits(ModelSpec spec, Weights weights, float[] features, int batch) {
        int width = Math.toIntExact(spec.inputShape().size());
        double[] x = new double[features.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = features[i];
        }
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof LayerSpec.Dense dense) {
                Tensor w = weights.get(dense.name() + ".weight");
                float[] b = dense.bias() ? weights.get(dense.name() + ".bias").data() : null;
                int out = dense.units();
                double[] y = new double[batch * out];
                for (int s = 0; s < batch; s++) {
                    for (int o = 0; o < out; o++) {
                        double sum = b == null ? 0 : b[o];
                        for (int k = 0; k < width; k++) {
                            sum += (double) w.data()[o * width + k] * x[s * width + k];
                        }
                        y[s * out + o] = sum;
                    }
                }
                x = y;
                width = out;
            } else if (layer instanceof LayerSpec.Activate activate) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = activate(activate.function(), x[i]);
                }
            } else if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Dropout) {
                continue;
            } else {
                throw new IllegalArgumentException("the host reference cannot compute layer '" + layer.name() + "' ("
                        + layer.kind() + ")");
            }
        }
        return x;
    }

    /** The activation function in double precision; GELU is the exact (erf) form. */
    public static double activate(Activation function, double x) {
        return switch (function) {
            case RELU -> Math.max(0, x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
        };
    }

    /** The error function, with a relative error below 1.2e-7 (Numerical Recipes' Chebyshev fit of erfc). */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc : erfc - 1;
    }

    /** Mean cross-entropy (nats) and accuracy of {@code logits [n, classes]} against {@code labels}. */
    public static Evaluation evaluate(float[] logits, int[] labels, int classes) {
        int n = labels.length;
        double loss = 0;
        int correct = 0;
        for (int s = 0; s < n; s++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < classes; c++) {
                double v = logits[s * classes + c];
                if (v > max) {
                    max = v;
                    arg = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[s * classes + c] - max);
            }
            loss += max + Math.log(sum) - logits[s * classes + labels[s]];
            if (arg == labels[s]) {
                correct++;
            }
        }
        return new Evaluation(loss / n, (double) correct / n, n);
    }
}
