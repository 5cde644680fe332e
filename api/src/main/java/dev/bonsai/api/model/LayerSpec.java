package dev.bonsai.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One layer of a {@link ModelSpec}: pure data that every engine translates into its own operators.
 *
 * <p>Shapes exclude the batch dimension. Dense layers act on the last dimension (so they apply per token on
 * {@code [T, D]} inputs); conv2d and pooling take {@code [C, H, W]}. Each layer infers its output shape and
 * parameters from its input shape, and rejects an input it cannot take with a message naming the layer.
 */
public sealed interface LayerSpec {

    /** The layer's name, unique within its model; its parameters are named {@code <name>.<kind>}. */
    String name();

    /** The output shape for {@code input}, or an {@link IllegalArgumentException} naming the layer. */
    Shape outputShape(Shape input);

    /** The parameters this layer owns for {@code input}, in a stable order. */
    List<ParameterSpec> parameters(Shape input);

    /** The short kind name used in messages and descriptors, for example {@code dense}. */
    default String kind() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static IllegalArgumentException reject(LayerSpec layer, Shape input, String expected) {
        return new IllegalArgumentException(
                "layer '" + layer.name() + "' (" + layer.kind() + ") expects " + expected + " but its input is " + input);
    }

    /**
     * A fully connected layer on the last dimension: {@code y = x·Wᵀ + b}.
     *
     * @param name  the layer name
     * @param units the number of outputs
     * @param bias  whether it has a bias
     */
    record Dense(String name, int units, boolean bias) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            return input.withLast(units);
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            int in = input.dim(-1);
            List<ParameterSpec> p = new ArrayList<>();
            p.add(new ParameterSpec(name + ".weight", name, Shape.of(units, in), ParameterRole.WEIGHT, in));
            if (bias) {
                p.add(new ParameterSpec(name + ".bias", name, Shape.of(units), ParameterRole.BIAS, in));
            }
            return p;
        }
    }

    /**
     * A 2-D convolution with a square kernel on {@code [C, H, W]} inputs.
     *
     * @param name    the layer name
     * @param filters the number of output channels
     * @param kernel  the kernel size
     * @param stride  the stride
     * @param padding zero padding on each side
     * @param bias    whether it has a bias
     */
    record Conv2d(String name, int filters, int kernel, int stride, int padding, boolean bias) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            if (input.rank() != 3) {
                throw reject(this, input, "[channels, height, width]");
            }
            int h = (input.dim(1) + 2 * padding - kernel) / stride + 1;
            int w = (input.dim(2) + 2 * padding - kernel) / stride + 1;
            if (h <= 0 || w <= 0) {
                throw reject(this, input, "an image of at least the kernel size " + kernel);
            }
            return Shape.of(filters, h, w);
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            outputShape(input);
            int fanIn = input.dim(0) * kernel * kernel;
            List<ParameterSpec> p = new ArrayList<>();
            p.add(new ParameterSpec(name + ".weight", name, Shape.of(filters, input.dim(0), kernel, kernel),
                    ParameterRole.WEIGHT, fanIn));
            if (bias) {
                p.add(new ParameterSpec(name + ".bias", name, Shape.of(filters), ParameterRole.BIAS, fanIn));
            }
            return p;
        }
    }

    /**
     * Max or average pooling over square windows of {@code [C, H, W]} inputs.
     *
     * @param name   the layer name
     * @param pool   max or average
     * @param kernel the window size
     * @param stride the stride
     */
    record Pool2d(String name, PoolKind pool, int kernel, int stride) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            if (input.rank() != 3 || input.dim(1) < kernel || input.dim(2) < kernel) {
                throw reject(this, input, "[channels, height, width] of at least " + kernel + "×" + kernel);
            }
            return Shape.of(input.dim(0), (input.dim(1) - kernel) / stride + 1, (input.dim(2) - kernel) / stride + 1);
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            return List.of();
        }
    }

    /**
     * Batch normalisation over the channel axis (the first dimension of {@code [C, H, W]}, or the features of a
     * 1-D input), with running statistics for evaluation.
     *
     * @param name     the layer name
     * @param momentum the running statistics' update rate
     * @param epsilon  added to the variance
     */
    record BatchNorm(String name, double momentum, double epsilon) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            Shape c = Shape.of(input.dim(0));
            return List.of(
                    new ParameterSpec(name + ".weight", name, c, ParameterRole.NORM_SCALE, 1),
                    new ParameterSpec(name + ".bias", name, c, ParameterRole.NORM_SHIFT, 1),
                    new ParameterSpec(name + ".running_mean", name, c, ParameterRole.RUNNING_MEAN, 1),
                    new ParameterSpec(name + ".running_var", name, c, ParameterRole.RUNNING_VAR, 1));
        }
    }

    /**
     * Layer normalisation over the last dimension.
     *
     * @param name    the layer name
     * @param epsilon added to the variance
     */
    record LayerNorm(String name, double epsilon) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            Shape d = Shape.of(input.dim(-1));
            return List.of(new ParameterSpec(name + ".weight", name, d, ParameterRole.NORM_SCALE, 1),
                    new ParameterSpec(name + ".bias", name, d, ParameterRole.NORM_SHIFT, 1));
        }
    }

    /**
     * Inverted dropout, active in training only.
     *
     * @param name the layer name
     * @param rate the probability of zeroing an element, in [0, 1)
     */
    record Dropout(String name, double rate) implements LayerSpec {
        /** Checks the rate. */
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout '" + name + "' rate must be in [0, 1), got " + rate);
            }
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            return List.of();
        }
    }

    /**
     * Flattens everything but the batch dimension.
     *
     * @param name the layer name
     */
    record Flatten(String name) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            return Shape.of(Math.toIntExact(input.size()));
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            return List.of();
        }
    }

    /**
     * An element-wise activation.
     *
     * @param name     the layer name
     * @param function the function
     */
    record Activate(String name, Activation function) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            return List.of();
        }

        @Override
        public String kind() {
            return function.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A token embedding: {@code [T]} token ids to {@code [T, dim]}.
     *
     * @param name  the layer name
     * @param vocab the vocabulary size
     * @param dim   the embedding width
     */
    record Embedding(String name, int vocab, int dim) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            if (input.rank() != 1) {
                throw reject(this, input, "a 1-D sequence of token ids");
            }
            return Shape.of(input.dim(0), dim);
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            return List.of(new ParameterSpec(name + ".weight", name, Shape.of(vocab, dim), ParameterRole.EMBEDDING, 1));
        }
    }

    /**
     * A learned positional embedding added to {@code [T, D]} inputs, for up to {@code context} positions.
     *
     * @param name    the layer name
     * @param context the longest sequence
     */
    record PositionalEmbedding(String name, int context) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            if (input.rank() != 2 || input.dim(0) > context) {
                throw reject(this, input, "[T, D] with T ≤ " + context);
            }
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            return List.of(new ParameterSpec(name + ".weight", name, Shape.of(context, input.dim(1)),
                    ParameterRole.POSITIONAL, 1));
        }
    }

    /**
     * Causal multi-head self-attention on {@code [T, D]}: a fused query/key/value projection {@code qkv} and an
     * output projection {@code proj}. The heads work on an inner width {@code I = heads·headDim}: {@code qkv.weight}
     * is {@code [3I, D]}, the queries, keys and values stacked in that order, each block holding head h in its rows
     * {@code h·headDim … (h+1)·headDim − 1}; {@code proj.weight} is {@code [D, I]}, head h in the same columns.
     *
     * @param name    the layer name
     * @param heads   the number of heads; must divide D when {@code headDim} is 0
     * @param dropout attention dropout rate
     * @param headDim the width of one head, or 0 for {@code D / heads} (so the inner width is the model width);
     *                removing heads keeps the head width and makes the inner width smaller
     */
    record CausalSelfAttention(String name, int heads, double dropout, int headDim) implements LayerSpec {
        /** Checks the counts. */
        public CausalSelfAttention {
            if (heads <= 0 || headDim < 0) {
                throw new IllegalArgumentException("attention '" + name + "' needs heads > 0 and headDim ≥ 0, got "
                        + heads + " heads of width " + headDim);
            }
        }

        /** Attention whose heads split the model width: {@code headDim = D / heads}. */
        public CausalSelfAttention(String name, int heads, double dropout) {
            this(name, heads, dropout, 0);
        }

        /** The inner width {@code heads·headDim} for model width {@code width}. */
        public int innerWidth(int width) {
            return headDim == 0 ? width : heads * headDim;
        }

        @Override
        public Shape outputShape(Shape input) {
            if (input.rank() != 2 || (headDim == 0 && input.dim(1) % heads != 0)) {
                throw reject(this, input, headDim == 0 ? "[T, D] with D divisible by " + heads + " heads" : "[T, D]");
            }
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            outputShape(input);
            int d = input.dim(1);
            int inner = innerWidth(d);
            return List.of(
                    new ParameterSpec(name + ".qkv.weight", name, Shape.of(3 * inner, d), ParameterRole.WEIGHT, d),
                    new ParameterSpec(name + ".qkv.bias", name, Shape.of(3 * inner), ParameterRole.BIAS, d),
                    new ParameterSpec(name + ".proj.weight", name, Shape.of(d, inner), ParameterRole.WEIGHT, inner),
                    new ParameterSpec(name + ".proj.bias", name, Shape.of(d), ParameterRole.BIAS, inner));
        }
    }

    /**
     * A pre-norm transformer block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))} with a GELU MLP of
     * width {@code mlpRatio·D}.
     *
     * @param name     the layer name
     * @param heads    attention heads
     * @param mlpRatio the MLP's expansion factor
     * @param dropout  dropout rate on the residual branches
     * @param headDim  the width of one attention head, or 0 for {@code D / heads}, see {@link CausalSelfAttention}
     */
    record TransformerBlock(String name, int heads, int mlpRatio, double dropout, int headDim) implements LayerSpec {
        /** A block whose attention heads split the model width. */
        public TransformerBlock(String name, int heads, int mlpRatio, double dropout) {
            this(name, heads, mlpRatio, dropout, 0);
        }

        /** The block's attention sub-layer. */
        public CausalSelfAttention attention() {
            return new CausalSelfAttention(name + ".attn", heads, dropout, headDim);
        }

        /** The block's sub-layers, in order, with names prefixed by the block's. */
        public List<LayerSpec> sublayers(int width) {
            return List.of(new LayerNorm(name + ".ln1", 1e-5), attention(),
                    new LayerNorm(name + ".ln2", 1e-5), new Dense(name + ".fc", mlpRatio * width, true),
                    new Dense(name + ".proj", width, true));
        }

        @Override
        public Shape outputShape(Shape input) {
            new CausalSelfAttention(name, heads, dropout, headDim).outputShape(input);
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            outputShape(input);
            List<ParameterSpec> p = new ArrayList<>();
            Shape shape = input;
            for (LayerSpec layer : sublayers(input.dim(1))) {
                p.addAll(layer.parameters(shape));
                shape = layer.outputShape(shape);
            }
            return p;
        }
    }

    /**
     * Root-mean-square normalisation over the last dimension (LLaMA's): {@code x / √(mean(x²) + ε) · weight}, no
     * shift.
     *
     * @param name    the layer name
     * @param epsilon added to the mean square
     */
    record RmsNorm(String name, double epsilon) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            return List.of(new ParameterSpec(name + ".weight", name, Shape.of(input.dim(-1)), ParameterRole.NORM_SCALE, 1));
        }

        @Override
        public String kind() {
            return "rmsnorm";
        }
    }

    /**
     * Causal self-attention on {@code [T, D]} with separate query, key, value and output projections and grouped
     * key/value heads (GQA): {@code heads} query heads share {@code kvHeads} key/value heads, query head {@code h}
     * reading key/value head {@code h / (heads / kvHeads)}. Parameters: {@code q.weight [heads·headDim, D]},
     * {@code k.weight} and {@code v.weight [kvHeads·headDim, D]}, {@code o.weight [D, heads·headDim]}, head
     * {@code h} in rows (columns of {@code o}) {@code h·headDim … (h+1)·headDim − 1}; optional biases
     * {@code q.bias}, {@code k.bias}, {@code v.bias} ({@code qkvBias}) and {@code o.bias} ({@code outputBias}).
     * Scores are scaled by {@code 1/√headDim}.
     *
     * <p>With {@code ropeTheta > 0}, queries and keys are rotated by rotary position embeddings in the half-split
     * convention (Hugging Face's {@code rotate_half}): within a head, dimension {@code i < headDim/2} pairs with
     * {@code i + headDim/2} at angle {@code position · θ^(−2i/headDim)}. Checkpoints in the interleaved-pair
     * convention (llama2.c, GGUF) are converted on import by permuting the rows of {@code q} and {@code k}. With
     * {@code ropeTheta = 0} there is no positional rotation (positions come from elsewhere, as GPT-2's learned
     * embedding).
     *
     * @param name       the layer name
     * @param heads      query heads
     * @param kvHeads    key/value heads; divides {@code heads}
     * @param headDim    the width of one head; even when {@code ropeTheta > 0}
     * @param ropeTheta  the rotary base θ, or 0 for none
     * @param qkvBias    whether the query, key and value projections have biases
     * @param outputBias whether the output projection has a bias
     */
    record Attention(String name, int heads, int kvHeads, int headDim, double ropeTheta, boolean qkvBias,
                     boolean outputBias) implements LayerSpec {
        /** Checks the counts. */
        public Attention {
            if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0) {
                throw new IllegalArgumentException("attention '" + name + "' needs heads > 0 divisible by kvHeads > 0"
                        + " and headDim > 0, got " + heads + " heads, " + kvHeads + " key/value heads of width "
                        + headDim);
            }
            if (ropeTheta < 0 || (ropeTheta > 0 && headDim % 2 != 0)) {
                throw new IllegalArgumentException("attention '" + name + "' needs ropeTheta ≥ 0 and, with rotary"
                        + " positions, an even head width; got θ=" + ropeTheta + ", headDim " + headDim);
            }
        }

        /** The query heads that share one key/value head. */
        public int groupSize() {
            return heads / kvHeads;
        }

        @Override
        public Shape outputShape(Shape input) {
            if (input.rank() != 2) {
                throw reject(this, input, "[T, D]");
            }
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            outputShape(input);
            int d = input.dim(1);
            int q = heads * headDim;
            int kv = kvHeads * headDim;
            List<ParameterSpec> p = new ArrayList<>();
            p.add(new ParameterSpec(name + ".q.weight", name, Shape.of(q, d), ParameterRole.WEIGHT, d));
            p.add(new ParameterSpec(name + ".k.weight", name, Shape.of(kv, d), ParameterRole.WEIGHT, d));
            p.add(new ParameterSpec(name + ".v.weight", name, Shape.of(kv, d), ParameterRole.WEIGHT, d));
            if (qkvBias) {
                p.add(new ParameterSpec(name + ".q.bias", name, Shape.of(q), ParameterRole.BIAS, d));
                p.add(new ParameterSpec(name + ".k.bias", name, Shape.of(kv), ParameterRole.BIAS, d));
                p.add(new ParameterSpec(name + ".v.bias", name, Shape.of(kv), ParameterRole.BIAS, d));
            }
            p.add(new ParameterSpec(name + ".o.weight", name, Shape.of(d, q), ParameterRole.WEIGHT, q));
            if (outputBias) {
                p.add(new ParameterSpec(name + ".o.bias", name, Shape.of(d), ParameterRole.BIAS, q));
            }
            return p;
        }
    }

    /**
     * A transformer's position-wise MLP on the last dimension. Plain: {@code down(act(up(x)))}. Gated (LLaMA's
     * SwiGLU with {@link Activation#SILU}): {@code down(act(gate(x)) ⊙ up(x))}. Parameters: {@code gate.weight
     * [hidden, D]} (gated only), {@code up.weight [hidden, D]}, {@code down.weight [D, hidden]}, and with
     * {@code bias} a bias on each. Hidden unit {@code j} is row {@code j} of gate and up and column {@code j} of
     * down.
     *
     * @param name       the layer name
     * @param hidden     the hidden width
     * @param activation the activation
     * @param gated      whether a gate projection multiplies the activation
     * @param bias       whether the projections have biases
     */
    record FeedForward(String name, int hidden, Activation activation, boolean gated, boolean bias)
            implements LayerSpec {
        /** Checks the width. */
        public FeedForward {
            if (hidden <= 0) {
                throw new IllegalArgumentException("feed-forward '" + name + "' needs hidden > 0, got " + hidden);
            }
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            int d = input.dim(-1);
            List<ParameterSpec> p = new ArrayList<>();
            if (gated) {
                p.add(new ParameterSpec(name + ".gate.weight", name, Shape.of(hidden, d), ParameterRole.WEIGHT, d));
            }
            p.add(new ParameterSpec(name + ".up.weight", name, Shape.of(hidden, d), ParameterRole.WEIGHT, d));
            p.add(new ParameterSpec(name + ".down.weight", name, Shape.of(d, hidden), ParameterRole.WEIGHT, hidden));
            if (bias) {
                if (gated) {
                    p.add(new ParameterSpec(name + ".gate.bias", name, Shape.of(hidden), ParameterRole.BIAS, d));
                }
                p.add(new ParameterSpec(name + ".up.bias", name, Shape.of(hidden), ParameterRole.BIAS, d));
                p.add(new ParameterSpec(name + ".down.bias", name, Shape.of(d), ParameterRole.BIAS, hidden));
            }
            return p;
        }

        @Override
        public String kind() {
            return "feedforward";
        }
    }

    /**
     * A pretrained-style pre-norm decoder block, one record for the LLaMA, Mistral, Qwen2 and GPT-2 families:
     * {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}. Sub-layers, named after the block: {@code
     * <name>.attn_norm} and {@code <name>.mlp_norm} ({@link RmsNorm}, or {@link LayerNorm} when {@code rmsNorm} is
     * false), {@code <name>.attn} ({@link Attention}) and {@code <name>.mlp} ({@link FeedForward}). Each block carries
     * its own widths, so a model whose blocks were pruned to different widths is still a spec.
     *
     * @param name        the layer name
     * @param rmsNorm     RMSNorm (LLaMA) or LayerNorm (GPT-2)
     * @param normEpsilon the norms' ε
     * @param attention   the attention sub-layer's settings (its name is replaced by {@code <name>.attn})
     * @param mlp         the MLP sub-layer's settings (its name is replaced by {@code <name>.mlp})
     */
    record DecoderBlock(String name, boolean rmsNorm, double normEpsilon, Attention attention, FeedForward mlp)
            implements LayerSpec {
        /** Names the sub-layers after the block. */
        public DecoderBlock {
            attention = new Attention(name + ".attn", attention.heads(), attention.kvHeads(), attention.headDim(),
                    attention.ropeTheta(), attention.qkvBias(), attention.outputBias());
            mlp = new FeedForward(name + ".mlp", mlp.hidden(), mlp.activation(), mlp.gated(), mlp.bias());
        }

        /** The block's sub-layers, in order. */
        public List<LayerSpec> sublayers() {
            return List.of(norm(name + ".attn_norm"), attention, norm(name + ".mlp_norm"), mlp);
        }

        private LayerSpec norm(String normName) {
            return rmsNorm ? new RmsNorm(normName, normEpsilon) : new LayerNorm(normName, normEpsilon);
        }

        @Override
        public Shape outputShape(Shape input) {
            attention.outputShape(input);
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            outputShape(input);
            List<ParameterSpec> p = new ArrayList<>();
            for (LayerSpec layer : sublayers()) {
                p.addAll(layer.parameters(input));
            }
            return p;
        }

        @Override
        public String kind() {
            return "decoderblock";
        }
    }

    /**
     * An output projection tied to a token embedding: logits {@code x·Eᵀ} with {@code E} the weight of the
     * {@link Embedding} named {@code embedding} ({@code [vocab, D]}). It owns no parameters; pruning or training
     * the embedding changes it too.
     *
     * @param name      the layer name
     * @param embedding the embedding layer whose weight it uses
     * @param vocab     the vocabulary size (the embedding's rows)
     */
    record TiedOutput(String name, String embedding, int vocab) implements LayerSpec {
        @Override
        public Shape outputShape(Shape input) {
            return input.withLast(vocab);
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            return List.of();
        }

        @Override
        public String kind() {
            return "tiedoutput";
        }
    }

    /**
     * A residual connection: {@code x + body(x)}; the body must keep the shape.
     *
     * @param name the layer name
     * @param body the layers of the branch, applied in order
     */
    record Residual(String name, List<LayerSpec> body) implements LayerSpec {
        /** Copies the body. */
        public Residual {
            body = List.copyOf(Objects.requireNonNull(body, "body"));
        }

        @Override
        public Shape outputShape(Shape input) {
            Shape shape = input;
            for (LayerSpec layer : body) {
                shape = layer.outputShape(shape);
            }
            if (!shape.equals(input)) {
                throw reject(this, input, "a body that keeps its shape, but the body gives " + shape + " for");
            }
            return input;
        }

        @Override
        public List<ParameterSpec> parameters(Shape input) {
            List<ParameterSpec> p = new ArrayList<>();
            Shape shape = input;
            for (LayerSpec layer : body) {
                p.addAll(layer.parameters(shape));
                shape = layer.outputShape(shape);
            }
            return p;
        }
    }
}
