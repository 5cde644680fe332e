package dev.bonsai.testkit.engine;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.PoolKind;

/**
 * Plain-Java, double-precision reference computations of single layers on one sample, written from the layers'
 * definitions (PyTorch's conventions) and nothing else, for checking engines' values. Arrays are row-major.
 */
public final class LayerReference {

    private LayerReference() {
    }

    /**
     * A 2-D convolution (cross-correlation, as in every deep-learning library) with zero padding.
     *
     * @param x      {@code [c, h, w]}
     * @param weight {@code [f, c, k, k]}
     * @param bias   {@code [f]} or null
     * @return {@code [f, ho, wo]} with {@code ho = (h + 2·padding − k) / stride + 1}
     */
    public static double[] conv2d(double[] x, int c, int h, int w, float[] weight, float[] bias, int f, int k,
            int stride, int padding) {
        int ho = (h + 2 * padding - k) / stride + 1;
        int wo = (w + 2 * padding - k) / stride + 1;
        double[] out = new double[f * ho * wo];
        for (int o = 0; o < f; o++) {
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++) {
                    double sum = bias == null ? 0 : bias[o];
                    for (int ch = 0; ch < c; ch++) {
                        for (int a = 0; a < k; a++) {
                            for (int b = 0; b < k; b++) {
                                int y = i * stride - padding + a;
                                int z = j * stride - padding + b;
                                if (y >= 0 && y < h && z >= 0 && z < w) {
                                    sum += weight[((o * c + ch) * k + a) * k + b] * x[(ch * h + y) * w + z];
                                }
                            }
                        }
                    }
                    out[(o * ho + i) * wo + j] = sum;
                }
            }
        }
        return out;
    }

    /** Max or average pooling of {@code [c, h, w]} over {@code k×k} windows, no padding, floor mode. */
    public static double[] pool(double[] x, int c, int h, int w, PoolKind kind, int k, int stride) {
        int ho = (h - k) / stride + 1;
        int wo = (w - k) / stride + 1;
        double[] out = new double[c * ho * wo];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++) {
                    double acc = kind == PoolKind.MAX ? Double.NEGATIVE_INFINITY : 0;
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            double v = x[(ch * h + i * stride + a) * w + j * stride + b];
                            acc = kind == PoolKind.MAX ? Math.max(acc, v) : acc + v / (k * k);
                        }
                    }
                    out[(ch * ho + i) * wo + j] = acc;
                }
            }
        }
        return out;
    }

    /** {@code x·Wᵀ + b} on each of the {@code rows} rows of {@code x [rows, in]}; {@code weight [out, in]}. */
    public static double[] dense(double[] x, int rows, int in, float[] weight, float[] bias, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    sum += weight[o * in + i] * x[r * in + i];
                }
                y[r * out + o] = sum;
            }
        }
        return y;
    }

    /** Layer normalisation of each row of {@code x [rows, d]} (biased variance), then scale and shift. */
    public static double[] layerNorm(double[] x, int rows, int d, float[] scale, float[] shift, double epsilon) {
        double[] y = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x[r * d + i] / d;
            }
            double var = 0;
            for (int i = 0; i < d; i++) {
                double e = x[r * d + i] - mean;
                var += e * e / d;
            }
            for (int i = 0; i < d; i++) {
                y[r * d + i] = (x[r * d + i] - mean) / Math.sqrt(var + epsilon) * scale[i] + shift[i];
            }
        }
        return y;
    }

    /**
     * Causal multi-head self-attention of {@code x [t, d]}: {@code qkv = x·Wᵀ + b} whose columns are q, then k, then
     * v, head h owning columns {@code h·d/H … (h+1)·d/H − 1} of each; {@code softmax(q·kᵀ/√(d/H))} over positions
     * up to the query's; the heads' outputs concatenated and projected.
     */
    public static double[] attention(double[] x, int t, int d, int heads, float[] qkvWeight, float[] qkvBias,
            float[] projWeight, float[] projBias) {
        double[] qkv = dense(x, t, d, qkvWeight, qkvBias, 3 * d);
        int hd = d / heads;
        double[] mixed = new double[t * d];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < t; i++) {
                double[] scores = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int e = 0; e < hd; e++) {
                        s += qkv[i * 3 * d + h * hd + e] * qkv[j * 3 * d + d + h * hd + e];
                    }
                    scores[j] = s / Math.sqrt(hd);
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int e = 0; e < hd; e++) {
                    double v = 0;
                    for (int j = 0; j <= i; j++) {
                        v += scores[j] / sum * qkv[j * 3 * d + 2 * d + h * hd + e];
                    }
                    mixed[i * d + h * hd + e] = v;
                }
            }
        }
        return dense(mixed, t, d, projWeight, projBias, d);
    }

    /** RMS normalisation of each row of {@code x [rows, d]}: {@code x / √(mean(x²) + ε) · scale}. */
    public static double[] rmsNorm(double[] x, int rows, int d, float[] scale, double epsilon) {
        double[] y = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            double meanSquare = 0;
            for (int i = 0; i < d; i++) {
                meanSquare += x[r * d + i] * x[r * d + i] / d;
            }
            double root = Math.sqrt(meanSquare + epsilon);
            for (int i = 0; i < d; i++) {
                y[r * d + i] = x[r * d + i] / root * scale[i];
            }
        }
        return y;
    }

    /**
     * Rotates each head of {@code x [t, heads·hd]} (position p in row p) by rotary position embeddings in the
     * half-split convention: dimension {@code i < hd/2} and dimension {@code i + hd/2} of a head form a plane,
     * turned by the angle {@code p · θ^(−2i/hd)}.
     */
    public static double[] rotary(double[] x, int t, int heads, int hd, double theta) {
        double[] y = x.clone();
        int half = hd / 2;
        for (int p = 0; p < t; p++) {
            for (int h = 0; h < heads; h++) {
                int base = p * heads * hd + h * hd;
                for (int i = 0; i < half; i++) {
                    double angle = p * Math.pow(theta, -2.0 * i / hd);
                    double a = x[base + i];
                    double b = x[base + half + i];
                    y[base + i] = a * Math.cos(angle) - b * Math.sin(angle);
                    y[base + half + i] = b * Math.cos(angle) + a * Math.sin(angle);
                }
            }
        }
        return y;
    }

    /**
     * Causal self-attention with grouped key/value heads on {@code x [t, d]}: separate projections {@code q [heads·hd,
     * d]}, {@code k}, {@code v [kvHeads·hd, d]} (biases may be null), query head h reading key/value head
     * {@code h / (heads / kvHeads)}, rotary positions on queries and keys when {@code theta > 0}, scores scaled by
     * {@code 1/√hd}, softmax over positions up to the query's, heads concatenated and projected by
     * {@code o [d, heads·hd]}.
     */
    public static double[] groupedAttention(double[] x, int t, int d, int heads, int kvHeads, int hd, double theta,
            float[] qWeight, float[] qBias, float[] kWeight, float[] kBias, float[] vWeight, float[] vBias,
            float[] oWeight, float[] oBias) {
        double[] q = dense(x, t, d, qWeight, qBias, heads * hd);
        double[] k = dense(x, t, d, kWeight, kBias, kvHeads * hd);
        double[] v = dense(x, t, d, vWeight, vBias, kvHeads * hd);
        if (theta > 0) {
            q = rotary(q, t, heads, hd, theta);
            k = rotary(k, t, kvHeads, hd, theta);
        }
        int group = heads / kvHeads;
        double[] mixed = new double[t * heads * hd];
        for (int h = 0; h < heads; h++) {
            int kvHead = h / group;
            for (int i = 0; i < t; i++) {
                double[] scores = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int e = 0; e < hd; e++) {
                        s += q[(i * heads + h) * hd + e] * k[(j * kvHeads + kvHead) * hd + e];
                    }
                    scores[j] = s / Math.sqrt(hd);
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int e = 0; e < hd; e++) {
                    double value = 0;
                    for (int j = 0; j <= i; j++) {
                        value += scores[j] / sum * v[(j * kvHeads + kvHead) * hd + e];
                    }
                    mixed[(i * heads + h) * hd + e] = value;
                }
            }
        }
        return dense(mixed, t, heads * hd, oWeight, oBias, d);
    }

    /**
     * A transformer MLP on each row of {@code x [rows, d]}: {@code down(act(up(x)))}, or with a {@code gate}
     * weight {@code down(act(gate(x)) ⊙ up(x))}; biases may be null.
     */
    public static double[] feedForward(double[] x, int rows, int d, int hidden, Activation function,
            float[] gateWeight, float[] gateBias, float[] upWeight, float[] upBias, float[] downWeight,
            float[] downBias) {
        double[] up = dense(x, rows, d, upWeight, upBias, hidden);
        double[] h;
        if (gateWeight != null) {
            double[] gate = activate(dense(x, rows, d, gateWeight, gateBias, hidden), function);
            h = new double[up.length];
            for (int i = 0; i < h.length; i++) {
                h[i] = gate[i] * up[i];
            }
        } else {
            h = activate(up, function);
        }
        return dense(h, rows, hidden, downWeight, downBias, d);
    }

    /** Element-wise activation (GELU exact). */
    public static double[] activate(double[] x, Activation function) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = HostReference.activate(function, x[i]);
        }
        return y;
    }

    /** {@code a + b}, element-wise. */
    public static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }
}
