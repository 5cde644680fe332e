package dev.bonsai.testkit.engine;

import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Weights;
import java.util.List;

/**
 * Plain-Java reference computations in double precision, independent of any engine: the forward pass of models made
 * of dense, conv2d, pooling, batch norm (running statistics), residual connections, flatten, dropout (identity in
 * evaluation) and activation layers, and of pretrained-style decoders (token and learned positional embeddings, layer
 * and RMS norms, grouped-query attention with rotary positions, gated and plain feed-forward blocks, decoder blocks,
 * outputs tied to the embedding), and cross-entropy and accuracy from logits. Each layer is computed from the
 * definition in {@link LayerSpec}'s documentation, by {@link LayerReference}.
 */
public final class HostReference {
    private HostReference() {
    }

    /**
     * The logits of {@code spec} with {@code weights} for {@code batch} samples, {@code [batch, classes]} row-major,
     * in evaluation mode (dropout is the identity, batch norm uses its running statistics).
     *
     * @throws IllegalArgumentException for a layer it cannot compute
     */
    public static double[] logits(ModelSpec spec, Weights weights, float[] features, int batch) {
        int width = Math.toIntExact(spec.inputShape().size());
        int outWidth = Math.toIntExact(spec.outputShape().size());
        double[] out = new double[batch * outWidth];
        for (int s = 0; s < batch; s++) {
            double[] x = new double[width];
            for (int i = 0; i < width; i++) {
                x[i] = features[s * width + i];
            }
            Shape shape = spec.inputShape();
            for (LayerSpec layer : spec.layers()) {
                x = forward(layer, shape, weights, x);
                shape = layer.outputShape(shape);
            }
            System.arraycopy(x, 0, out, s * outWidth, outWidth);
        }
        return out;
    }

    /** One layer on one sample of shape {@code in}. */
    private static double[] forward(LayerSpec layer, Shape in, Weights weights, double[] x) {
        if (layer instanceof LayerSpec.Dense dense) {
            int last = in.dim(-1);
            float[] b = dense.bias() ? weights.get(dense.name() + ".bias").data() : null;
            return LayerReference.dense(x, x.length / last, last, weights.get(dense.name() + ".weight").data(), b,
                    dense.units());
        } else if (layer instanceof LayerSpec.Conv2d conv) {
            float[] b = conv.bias() ? weights.get(conv.name() + ".bias").data() : null;
            return LayerReference.conv2d(x, in.dim(0), in.dim(1), in.dim(2), weights.get(conv.name() + ".weight").data(),
                    b, conv.filters(), conv.kernel(), conv.stride(), conv.padding());
        } else if (layer instanceof LayerSpec.Pool2d pool) {
            return LayerReference.pool(x, in.dim(0), in.dim(1), in.dim(2), pool.pool(), pool.kernel(), pool.stride());
        } else if (layer instanceof LayerSpec.BatchNorm norm) {
            float[] gamma = weights.get(norm.name() + ".weight").data();
            float[] beta = weights.get(norm.name() + ".bias").data();
            float[] mean = weights.get(norm.name() + ".running_mean").data();
            float[] var = weights.get(norm.name() + ".running_var").data();
            int inner = x.length / in.dim(0);
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int c = i / inner;
                y[i] = (x[i] - mean[c]) / Math.sqrt(var[c] + norm.epsilon()) * gamma[c] + beta[c];
            }
            return y;
        } else if (layer instanceof LayerSpec.Activate activate) {
            return LayerReference.activate(x, activate.function());
        } else if (layer instanceof LayerSpec.Residual residual) {
            double[] y = x;
            Shape shape = in;
            for (LayerSpec inner : residual.body()) {
                y = forward(inner, shape, weights, y);
                shape = inner.outputShape(shape);
            }
            return LayerReference.add(x, y);
        } else if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Dropout) {
            return x;
        } else if (layer instanceof LayerSpec.Embedding embedding) {
            float[] table = weights.get(embedding.name() + ".weight").data();
            int d = embedding.dim();
            double[] y = new double[x.length * d];
            for (int t = 0; t < x.length; t++) {
                int id = (int) x[t];
                if (id < 0 || id >= embedding.vocab() || id != x[t]) {
                    throw new IllegalArgumentException("token " + x[t] + " at position " + t + " is not an id of "
                            + "embedding '" + embedding.name() + "' (vocabulary " + embedding.vocab() + ")");
                }
                for (int e = 0; e < d; e++) {
                    y[t * d + e] = table[id * d + e];
                }
            }
            return y;
        } else if (layer instanceof LayerSpec.PositionalEmbedding positions) {
            float[] table = weights.get(positions.name() + ".weight").data();
            double[] y = x.clone();
            for (int i = 0; i < y.length; i++) {
                y[i] += table[i];
            }
            return y;
        } else if (layer instanceof LayerSpec.LayerNorm norm) {
            int d = in.dim(-1);
            return LayerReference.layerNorm(x, x.length / d, d, weights.get(norm.name() + ".weight").data(),
                    weights.get(norm.name() + ".bias").data(), norm.epsilon());
        } else if (layer instanceof LayerSpec.RmsNorm norm) {
            int d = in.dim(-1);
            return LayerReference.rmsNorm(x, x.length / d, d, weights.get(norm.name() + ".weight").data(),
                    norm.epsilon());
        } else if (layer instanceof LayerSpec.Attention a) {
            String n = a.name();
            return LayerReference.groupedAttention(x, in.dim(0), in.dim(1), a.heads(), a.kvHeads(), a.headDim(),
                    a.ropeTheta(), weights.get(n + ".q.weight").data(), optional(weights, n + ".q.bias", a.qkvBias()),
                    weights.get(n + ".k.weight").data(), optional(weights, n + ".k.bias", a.qkvBias()),
                    weights.get(n + ".v.weight").data(), optional(weights, n + ".v.bias", a.qkvBias()),
                    weights.get(n + ".o.weight").data(), optional(weights, n + ".o.bias", a.outputBias()));
        } else if (layer instanceof LayerSpec.FeedForward m) {
            String n = m.name();
            int d = in.dim(-1);
            return LayerReference.feedForward(x, x.length / d, d, m.hidden(), m.activation(),
                    m.gated() ? weights.get(n + ".gate.weight").data() : null,
                    optional(weights, n + ".gate.bias", m.gated() && m.bias()), weights.get(n + ".up.weight").data(),
                    optional(weights, n + ".up.bias", m.bias()), weights.get(n + ".down.weight").data(),
                    optional(weights, n + ".down.bias", m.bias()));
        } else if (layer instanceof LayerSpec.DecoderBlock block) {
            List<LayerSpec> sub = block.sublayers();
            double[] h = LayerReference.add(x, forward(sub.get(1), in, weights, forward(sub.get(0), in, weights, x)));
            return LayerReference.add(h, forward(sub.get(3), in, weights, forward(sub.get(2), in, weights, h)));
        } else if (layer instanceof LayerSpec.TiedOutput tied) {
            int d = in.dim(-1);
            return LayerReference.dense(x, x.length / d, d, weights.get(tied.embedding() + ".weight").data(), null,
                    tied.vocab());
        }
        throw new IllegalArgumentException("the host reference cannot compute layer '" + layer.name() + "' ("
                + layer.kind() + ")");
    }

    private static float[] optional(Weights weights, String name, boolean present) {
        return present ? weights.get(name).data() : null;
    }

    /** The activation function in double precision; GELU is the exact (erf) form. */
    public static double activate(Activation function, double x) {
        return switch (function) {
            case RELU -> Math.max(0, x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SILU -> x / (1 + Math.exp(-x));
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
