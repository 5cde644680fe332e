package dev.bonsai.engine.djl;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.PoolKind;

/**
 * One compiled step of a forward pass: a layer of the model spec bound to its parameters' indices in
 * {@link Parameters}. Ops are made once by {@link Forward} and run step after step; each registers its temporaries
 * in the forward pass's scope, so a step leaves nothing behind once the scope closes.
 *
 * <p>Ops hold parameter indices, not arrays, because loading weights replaces the arrays.
 */
sealed interface Op {

    /** The layer's name (the name a {@link Forward} tap reports the output under). */
    String name();

    /** The output for {@code x} ({@code [batch, ...]}); temporaries go into {@code f}'s scope. */
    PtNDArray apply(Forward f, PtNDArray x);

    /** Whether the op draws random numbers in training (dropout). */
    default boolean stochastic() {
        return false;
    }

    /** {@code linear(x, W, b)} on the last dimension; {@code bias} is -1 when there is none. */
    record Dense(String name, int weight, int bias) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return f.keep(JniUtils.linear(x, f.param(weight), bias < 0 ? null : f.param(bias)));
        }
    }

    /** A 2-D convolution with a square kernel on {@code [B, C, H, W]}; {@code bias} is -1 when there is none. */
    record Conv2d(String name, int weight, int bias, int stride, int padding) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return f.keep(JniUtils.convolution(x, f.param(weight), bias < 0 ? null : f.param(bias),
                    new ai.djl.ndarray.types.Shape(stride, stride), new ai.djl.ndarray.types.Shape(padding, padding),
                    new ai.djl.ndarray.types.Shape(1, 1), 1));
        }
    }

    /** Max or average pooling (no padding, floor mode) on {@code [B, C, H, W]}. */
    record Pool2d(String name, PoolKind pool, int kernel, int stride) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            ai.djl.ndarray.types.Shape k = new ai.djl.ndarray.types.Shape(kernel, kernel);
            ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(stride, stride);
            ai.djl.ndarray.types.Shape p = new ai.djl.ndarray.types.Shape(0, 0);
            return f.keep(pool == PoolKind.MAX ? JniUtils.maxPool(x, k, s, p, false)
                    : JniUtils.avgPool(x, k, s, p, false, true));
        }
    }

    /**
     * PyTorch's {@code batch_norm} over axis 1: in training it normalises with the batch statistics and updates the
     * running statistics in place ({@code r = (1 - m)·r + m·batch}, the variance unbiased); in evaluation it uses
     * the running statistics. The running statistics are parameters that are not trainable, so the optimizer never
     * touches them.
     */
    record BatchNorm(String name, int weight, int bias, int mean, int var, double momentum, double epsilon)
            implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return f.keep(JniUtils.batchNorm(x, f.param(mean), f.param(var), f.param(weight), f.param(bias),
                    f.training(), momentum, epsilon));
        }
    }

    /** PyTorch's fused {@code layer_norm} over the last dimension, of size {@code width}. */
    record LayerNorm(String name, int weight, int bias, int width, double epsilon) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return f.keep(JniUtils.layerNorm(x, new ai.djl.ndarray.types.Shape(width), f.param(weight),
                    f.param(bias), epsilon));
        }
    }

    /** Inverted dropout in training; the identity in evaluation. */
    record Dropout(String name, double rate) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return f.training() && rate > 0 ? f.keep(JniUtils.dropout(x, rate, true)) : x;
        }

        @Override
        public boolean stochastic() {
            return rate > 0;
        }
    }

    /** Flattens all but the batch dimension. */
    record Flatten(String name) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return f.keep(JniUtils.flatten(x, 1, -1));
        }
    }

    /**
     * An element-wise activation: GELU in its exact erf form (PyTorch's default), GELU's tanh approximation as
     * {@code x·σ(2·√(2/π)·(x + 0.044715x³))} (equal to {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))} since
     * {@code (1 + tanh z)/2 = σ(2z)}), SiLU as {@code x·σ(x)}.
     */
    record Activate(String name, Activation function) implements Op {
        /** Tanh-GELU's gate is σ(x·(a + b·x²)) with a = 2·√(2/π) and b = 0.044715·a. */
        private static final double GELU_TANH_LINEAR = 2 * Math.sqrt(2 / Math.PI);
        private static final double GELU_TANH_CUBIC = GELU_TANH_LINEAR * 0.044715;

        /** The scalars {@link #of} uses for {@code function}, which the forward pass makes once when compiling. */
        static double[] constants(Activation function) {
            return function == Activation.GELU_TANH ? new double[] {GELU_TANH_LINEAR, GELU_TANH_CUBIC} : new double[0];
        }

        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return of(f, function, x);
        }

        /** {@code function} applied to {@code x}; temporaries go into {@code f}'s scope. */
        static PtNDArray of(Forward f, Activation function, PtNDArray x) {
            return switch (function) {
                case RELU -> f.keep(JniUtils.relu(x));
                case TANH -> f.keep(JniUtils.tanh(x));
                case SIGMOID -> f.keep(JniUtils.sigmoid(x));
                case GELU -> f.keep(JniUtils.gelu(x));
                case SILU -> f.keep(JniUtils.mul(x, f.keep(JniUtils.sigmoid(x))));
                case GELU_TANH -> {
                    PtNDArray square = f.keep(JniUtils.mul(x, x));
                    PtNDArray slope = f.keep(JniUtils.add(f.keep(JniUtils.mul(square,
                            f.constant(GELU_TANH_CUBIC))), f.constant(GELU_TANH_LINEAR)));
                    PtNDArray gate = f.keep(JniUtils.sigmoid(f.keep(JniUtils.mul(x, slope))));
                    yield f.keep(JniUtils.mul(x, gate));
                }
            };
        }
    }

    /** A token embedding: float token ids {@code [B, T]} to {@code [B, T, D]}, through PyTorch's {@code embedding}. */
    record Embedding(String name, int weight) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            PtNDArray ids = f.keep(JniUtils.to(x, DataType.INT64, x.getDevice()));
            return f.keep(JniUtils.embedding(ids, f.param(weight), false));
        }
    }

    /** A learned positional embedding: adds the first T rows of the table to {@code [B, T, D]}. */
    record PositionalEmbedding(String name, int weight, int length, int context) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            PtNDArray table = f.param(weight);
            if (length < context) {
                table = f.keep(JniUtils.slice(table, 0, 0, length, 1));
            }
            return f.keep(JniUtils.add(x, table));
        }
    }

    /**
     * Causal multi-head self-attention on {@code [B, T, D]}: {@code qkv = linear(x)} split into H heads of width
     * I/H, where {@code width} is the inner width I (the model width D unless heads were removed),
     * {@code softmax(q·kᵀ/√(I/H) + mask)} with {@code -∞} above the diagonal, attention dropout in training, the
     * heads concatenated and projected by {@code proj}. {@code scale} and {@code mask} are constants held by the
     * forward pass.
     */
    record CausalSelfAttention(String name, int qkvWeight, int qkvBias, int projWeight, int projBias, int heads,
            int length, int width, double dropout, PtNDArray scale, PtNDArray mask) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            long b = x.getShape().get(0);
            long headWidth = width / heads;
            PtNDArray qkv = f.keep(JniUtils.linear(x, f.param(qkvWeight), f.param(qkvBias)));
            PtNDArray split = f.keep(JniUtils.reshape(qkv, new long[] {b, length, 3, heads, headWidth}));
            PtNDArray perHead = f.keep(JniUtils.permute(split, new long[] {2, 0, 3, 1, 4}));
            long[] flat = {b * heads, length, headWidth};
            PtNDArray q = f.keep(JniUtils.reshape(f.keep(JniUtils.slice(perHead, 0, 0, 1, 1)), flat));
            PtNDArray k = f.keep(JniUtils.reshape(f.keep(JniUtils.slice(perHead, 0, 1, 2, 1)), flat));
            PtNDArray v = f.keep(JniUtils.reshape(f.keep(JniUtils.slice(perHead, 0, 2, 3, 1)), flat));
            PtNDArray scores = f.keep(JniUtils.bmm(f.keep(JniUtils.mul(q, scale)), f.keep(JniUtils.transpose(k, 1, 2))));
            PtNDArray masked = f.keep(JniUtils.add(scores, mask));
            PtNDArray attention = f.keep(JniUtils.softmax(masked, -1, DataType.FLOAT32));
            if (f.training() && dropout > 0) {
                attention = f.keep(JniUtils.dropout(attention, dropout, true));
            }
            PtNDArray mixed = f.keep(JniUtils.bmm(attention, v));
            PtNDArray heads4 = f.keep(JniUtils.reshape(mixed, new long[] {b, heads, length, headWidth}));
            PtNDArray merged = f.keep(JniUtils.reshape(f.keep(JniUtils.permute(heads4, new long[] {0, 2, 1, 3})),
                    new long[] {b, length, width}));
            return f.keep(JniUtils.linear(merged, f.param(projWeight), f.param(projBias)));
        }

        @Override
        public boolean stochastic() {
            return dropout > 0;
        }
    }

    /**
     * A pre-norm transformer block: {@code x + drop(attn(ln1(x)))}, then {@code x + drop(proj(gelu(fc(ln2(x)))))}.
     * The sub-layers are ops of their own, so a tap sees their outputs under their names.
     */
    record TransformerBlock(String name, Op ln1, Op attn, Op ln2, Op fc, Op proj, Dropout dropout) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            PtNDArray a = dropout.apply(f, f.apply(attn, f.apply(ln1, x)));
            PtNDArray h = f.keep(JniUtils.add(x, a));
            PtNDArray hidden = f.keep(JniUtils.gelu(f.apply(fc, f.apply(ln2, h))));
            PtNDArray m = dropout.apply(f, f.apply(proj, hidden));
            return f.keep(JniUtils.add(h, m));
        }

        @Override
        public boolean stochastic() {
            return dropout.stochastic() || attn.stochastic();
        }
    }

    /**
     * Root-mean-square normalisation over the last dimension: {@code x / √(mean(x²) + ε) · weight}, in float32 as
     * the reference implementations compute it.
     */
    record RmsNorm(String name, int weight, double epsilon) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            PtNDArray meanSquare = f.keep(JniUtils.mean(f.keep(JniUtils.mul(x, x)), -1, true));
            PtNDArray rms = f.keep(JniUtils.sqrt(f.keep(JniUtils.add(meanSquare, f.constant(epsilon)))));
            return f.keep(JniUtils.mul(f.keep(JniUtils.div(x, rms)), f.param(weight)));
        }
    }

    /**
     * Causal self-attention with grouped key/value heads on {@code [B, T, D]}, see {@link GroupedAttention}:
     * separate query, key and value projections (one {@code linear} each), rotary positions when {@code rotary}
     * is not null, fused causal attention, and the output projection. Bias indices are -1 when there is none.
     */
    record Attention(String name, int qWeight, int kWeight, int vWeight, int qBias, int kBias, int vBias,
            int oWeight, int oBias, int heads, int kvHeads, int headDim, Rotary rotary) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            GroupedAttention.Projected p = GroupedAttention.project(f, this, x, 0);
            return GroupedAttention.mix(f, this, p.queries(), p.keys(), p.values(), null, true);
        }
    }

    /**
     * A transformer MLP on the last dimension: {@code down(act(up(x)))}, or gated {@code down(act(gate(x)) ⊙ up(x))}
     * when {@code gate} is not -1; bias indices are -1 when there is none.
     */
    record FeedForward(String name, int gate, int up, int down, int gateBias, int upBias, int downBias,
            Activation activation) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            PtNDArray hidden = f.keep(JniUtils.linear(x, f.param(up), upBias < 0 ? null : f.param(upBias)));
            if (gate >= 0) {
                PtNDArray g = f.keep(JniUtils.linear(x, f.param(gate), gateBias < 0 ? null : f.param(gateBias)));
                hidden = f.keep(JniUtils.mul(Activate.of(f, activation, g), hidden));
            } else {
                hidden = Activate.of(f, activation, hidden);
            }
            f.report(name + ".hidden", hidden);
            return f.keep(JniUtils.linear(hidden, f.param(down), downBias < 0 ? null : f.param(downBias)));
        }
    }

    /**
     * A pre-norm decoder block: {@code h = x + attn(attnNorm(x))}, then {@code h + mlp(mlpNorm(h))}. The sub-layers
     * are ops of their own, so a tap sees their outputs under their names.
     */
    record DecoderBlock(String name, Op attnNorm, Attention attn, Op mlpNorm, FeedForward mlp) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            PtNDArray h = f.keep(JniUtils.add(x, f.apply(attn, f.apply(attnNorm, x))));
            return f.keep(JniUtils.add(h, f.apply(mlp, f.apply(mlpNorm, h))));
        }
    }

    /** Logits {@code x·Eᵀ} with {@code E} the weight of a token embedding ({@code embedding} is its index). */
    record TiedOutput(String name, int embedding) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return f.keep(JniUtils.linear(x, f.param(embedding), null));
        }
    }

    /** {@code x + body(x)}. */
    record Residual(String name, Op[] body) implements Op {
        @Override
        public PtNDArray apply(Forward f, PtNDArray x) {
            return f.keep(JniUtils.add(x, f.run(body, x)));
        }

        @Override
        public boolean stochastic() {
            for (Op op : body) {
                if (op.stochastic()) {
                    return true;
                }
            }
            return false;
        }
    }
}
