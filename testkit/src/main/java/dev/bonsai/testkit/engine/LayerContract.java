package dev.bonsai.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.PoolKind;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The layer contract of a {@link ComputeEngine}: every kind of {@link LayerSpec} it supports computes the right
 * shapes, values and gradients, batch norm keeps its running statistics, attention is causal, sequence models train
 * with one label per position, and training stays deterministic and mask-preserving with every layer. An engine's
 * test module subclasses it as it does {@link EngineContract}:
 *
 * <pre>{@code
 * class MyEngineLayerContractTest extends LayerContract {
 *     protected ComputeEngine<?> engine() { return new MyEngine(); }
 * }
 * }</pre>
 *
 * <p>Tests of a layer kind the engine does not list in {@link ComputeEngine#supportedLayers()} are skipped. All data
 * is synthetic and tiny, so the whole class runs in seconds on a CPU.
 */
public abstract class LayerContract extends EngineTestBase {
    /** Cross-entropy with weight 1. */
    protected static final List<LossTerm> CROSS_ENTROPY = List.of(new LossTerm.CrossEntropy(1));
    /** Classes of the contract's classifiers. */
    protected static final int CLASSES = 3;
    /** Vocabulary of the contract's sequence models. */
    protected static final int VOCAB = 5;
    /** Sequence length of the contract's sequence models. */
    protected static final int LENGTH = 4;



    // ------------------------------------------------------------------------------------------------ the models

    /** A tiny model exercising one layer kind, and the data it takes. */
    protected record Case(String kind, ModelSpec spec, boolean sequence) {
        @Override
        public String toString() {
            return kind;
        }
    }

    private static ModelSpec classifier(String name, Shape input, LayerSpec... layers) {
        List<LayerSpec> all = new ArrayList<>(List.of(layers));
        if (all.get(all.size() - 1).outputShape(shapeBefore(input, all)).rank() != 1) {
            all.add(new LayerSpec.Flatten("flat"));
        }
        all.add(new LayerSpec.Dense("out", CLASSES, true));
        return new ModelSpec(name, input, all);
    }

    private static Shape shapeBefore(Shape input, List<LayerSpec> layers) {
        Shape s = input;
        for (int i = 0; i < layers.size() - 1; i++) {
            s = layers.get(i).outputShape(s);
        }
        return s;
    }

    private static ModelSpec sequence(String name, LayerSpec... middle) {
        List<LayerSpec> all = new ArrayList<>();
        all.add(new LayerSpec.Embedding("tok", VOCAB, 8));
        all.add(new LayerSpec.PositionalEmbedding("pos", LENGTH + 2));
        all.addAll(List.of(middle));
        all.add(new LayerSpec.Dense("head", VOCAB, true));
        return new ModelSpec(name, Shape.of(LENGTH), all);
    }

    /** One tiny model per layer kind (and per variant: stride and padding, max and average pooling...). */
    protected static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("dense", classifier("dense", Shape.of(6), new LayerSpec.Dense("fc", 5, true),
                new LayerSpec.Activate("tanh", Activation.TANH), new LayerSpec.Dense("fc2", 4, false)), false));
        for (Activation a : Activation.values()) {
            cases.add(new Case(a.name().toLowerCase(java.util.Locale.ROOT), classifier("act", Shape.of(6),
                    new LayerSpec.Dense("fc", 5, true), new LayerSpec.Activate("act", a)), false));
        }
        cases.add(new Case("conv2d", classifier("conv", Shape.of(2, 5, 5),
                new LayerSpec.Conv2d("conv", 3, 3, 1, 0, true), new LayerSpec.Activate("tanh", Activation.TANH)),
                false));
        cases.add(new Case("conv2d-stride-padding", classifier("conv-sp", Shape.of(2, 5, 5),
                new LayerSpec.Conv2d("conv", 3, 3, 2, 1, false)), false));
        cases.add(new Case("max-pool", classifier("max-pool", Shape.of(2, 4, 4),
                new LayerSpec.Conv2d("conv", 2, 3, 1, 1, true), new LayerSpec.Pool2d("pool", PoolKind.MAX, 2, 2)),
                false));
        cases.add(new Case("avg-pool", classifier("avg-pool", Shape.of(2, 5, 5),
                new LayerSpec.Conv2d("conv", 2, 3, 1, 1, true), new LayerSpec.Pool2d("pool", PoolKind.AVG, 3, 2)),
                false));
        cases.add(new Case("batch-norm-2d", classifier("bn2d", Shape.of(2, 4, 4),
                new LayerSpec.Conv2d("conv", 3, 3, 1, 0, false), new LayerSpec.BatchNorm("bn", 0.1, 1e-5),
                new LayerSpec.Activate("tanh", Activation.TANH)), false));
        cases.add(new Case("batch-norm-1d", classifier("bn1d", Shape.of(6),
                new LayerSpec.Dense("fc", 5, true), new LayerSpec.BatchNorm("bn", 0.1, 1e-5)), false));
        cases.add(new Case("layer-norm", classifier("ln", Shape.of(6),
                new LayerSpec.Dense("fc", 5, true), new LayerSpec.LayerNorm("ln", 1e-5)), false));
        cases.add(new Case("dropout-flatten", classifier("drop", Shape.of(2, 3),
                new LayerSpec.Dropout("drop", 0.3), new LayerSpec.Flatten("flatten")), false));
        cases.add(new Case("residual", classifier("res", Shape.of(6),
                new LayerSpec.Residual("res", List.of(new LayerSpec.Dense("inner", 6, true),
                        new LayerSpec.Activate("tanh", Activation.TANH)))), false));
        cases.add(new Case("embedding", sequence("emb"), true));
        cases.add(new Case("causal-self-attention", sequence("attn",
                new LayerSpec.CausalSelfAttention("attn", 2, 0.1)), true));
        cases.add(new Case("transformer-block", sequence("block",
                new LayerSpec.TransformerBlock("block", 2, 2, 0.1), new LayerSpec.LayerNorm("ln_f", 1e-5)), true));
        cases.add(new Case("llama-decoder", llamaDecoder(LENGTH), true));
        cases.add(new Case("gpt2-decoder", gpt2Decoder(LENGTH), true));
        return cases;
    }

    /**
     * A LLaMA-style decoder on {@code length} tokens: embedding, two pre-norm decoder blocks (RMS norms,
     * grouped-query attention of 4 query heads on 2 key/value heads of width 4 with rotary positions, θ = 10⁴, the
     * second block with query/key/value biases as Qwen2 has them; a gated SiLU MLP of width 24), RMS norm, a dense
     * head without bias.
     */
    protected static ModelSpec llamaDecoder(int length) {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new LayerSpec.Embedding("embed", VOCAB, 16));
        for (int i = 0; i < 2; i++) {
            layers.add(new LayerSpec.DecoderBlock("blocks." + i, true, 1e-5,
                    new LayerSpec.Attention("attn", 4, 2, 4, 10_000, i == 1, false),
                    new LayerSpec.FeedForward("mlp", 24, Activation.SILU, true, false)));
        }
        layers.add(new LayerSpec.RmsNorm("norm", 1e-5));
        layers.add(new LayerSpec.Dense("head", VOCAB, false));
        return new ModelSpec("llama-decoder", Shape.of(length), layers);
    }

    /**
     * A GPT-2-style decoder on {@code length} tokens: embedding, learned positions, one pre-norm decoder block
     * (layer norms, 2 attention heads of width 4 without rotation, biases everywhere, a plain tanh-GELU MLP of width
     * 32), layer norm, and an output tied to the embedding.
     */
    protected static ModelSpec gpt2Decoder(int length) {
        return new ModelSpec("gpt2-decoder", Shape.of(length), List.of(new LayerSpec.Embedding("embed", VOCAB, 8),
                new LayerSpec.PositionalEmbedding("pos", length + 2), new LayerSpec.DecoderBlock("blocks.0", false,
                        1e-5, new LayerSpec.Attention("attn", 2, 2, 4, 0, true, true),
                        new LayerSpec.FeedForward("mlp", 32, Activation.GELU_TANH, false, true)),
                new LayerSpec.LayerNorm("norm", 1e-5), new LayerSpec.TiedOutput("head", "embed", VOCAB)));
    }

    /** Whether the engine supports every layer of {@code spec} (nested ones included). */
    protected final boolean supports(ModelSpec spec) {
        return supports(spec.layers());
    }

    private boolean supports(List<LayerSpec> layers) {
        for (LayerSpec layer : layers) {
            if (!engine().supportedLayers().contains(layer.getClass())) {
                return false;
            }
            if (layer instanceof LayerSpec.Residual r && !supports(r.body())) {
                return false;
            }
        }
        return true;
    }

    /** Random data for {@code spec}: token ids for sequence models (one label per position), normal features else. */
    protected static Split data(ModelSpec spec, int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = Math.toIntExact(spec.inputShape().size());
        float[] features = new float[samples * size];
        boolean tokens = spec.layers().get(0) instanceof LayerSpec.Embedding;
        for (int i = 0; i < features.length; i++) {
            features[i] = tokens ? random.nextInt(VOCAB) : (float) random.nextDouble(-1.5, 1.5);
        }
        Shape out = spec.outputShape();
        int perSample = out.rank() == 2 ? out.dim(0) : 1;
        int classes = out.dim(-1);
        int[] labels = new int[samples * perSample];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new Split("data", spec.inputShape(), features, labels, perSample);
    }

    /** The whole split as one batch, in order. */
    protected static Batch all(Split split) {
        int[] order = new int[split.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return split.batch(order, 0, order.length);
    }

    private static TrainingConfig config(OptimizerSpec optimizer, int epochs, int batch) {
        return new TrainingConfig(epochs, batch, optimizer, new LrSchedule.Constant(), 0, CROSS_ENTROPY);
    }

    // ------------------------------------------------------------------------------------------------ the tests

    /**
     * Every layer kind gives {@code [batch, ...spec.outputShape()]} logits, finite, in evaluation mode. Catches a
     * layer translated with the wrong layout (for example a convolution's padding or stride ignored, pooling with the
     * wrong window, a sequence model's output flattened) and a kind the engine claims but cannot build.
     */
    @Test
    public void everyLayerKindGivesTheSpecsOutputShape() {
        int tested = 0;
        for (Case c : cases()) {
            if (!supports(c.spec())) {
                continue;
            }
            Split split = data(c.spec(), 5, 1);
            try (Network network = runtime().build(c.spec(), WeightInitializer.initialize(c.spec(), 2), device())) {
                Tensor logits = network.logits(all(split));
                assertThat(logits.shape()).as(c.kind()).isEqualTo(c.spec().outputShape().prepend(5));
                for (float v : logits.data()) {
                    assertThat(Float.isFinite(v)).as("%s logits finite", c.kind()).isTrue();
                }
                Evaluation e = network.evaluate(split, 2);
                assertThat(e.samples()).isEqualTo(5);
                assertThat(e.loss()).as(c.kind()).isFinite().isPositive();
                tested++;
            }
        }
        Assumptions.assumeTrue(tested > 0, "the engine supports none of the layer kinds");
    }

    /**
     * Convolution (stride and padding), max and average pooling, and a GPT-style stack (embedding, positional
     * embedding, pre-norm transformer block with causal multi-head attention and a GELU MLP, layer norm, dense head
     * per position) give the values of {@link LayerReference}'s plain-Java definitions, within 1e-5 of the largest
     * magnitude (float32 accumulation over at most a few hundred terms). Catches layouts that are consistent but
     * wrong, which gradient checks cannot see: a kernel read transposed, padding on one side only, a window at the
     * wrong offset, q/k/v or heads split from the wrong columns, the attention scale missing, a block that is not
     * pre-norm.
     */
    @Test
    public void valuesMatchAPlainJavaReference() {
        int checked = 0;
        ModelSpec conv = new ModelSpec("conv", Shape.of(2, 5, 5), List.of(new LayerSpec.Conv2d("conv", 3, 3, 2, 1,
                true)));
        if (supports(conv)) {
            Split split = data(conv, 3, 21);
            Weights w = WeightInitializer.initialize(conv, 22);
            checkValues(conv, w, split, x -> LayerReference.conv2d(x, 2, 5, 5, w.get("conv.weight").data(),
                    w.get("conv.bias").data(), 3, 3, 2, 1));
            checked++;
        }
        for (PoolKind kind : PoolKind.values()) {
            ModelSpec pool = new ModelSpec("pool", Shape.of(2, 5, 5), List.of(new LayerSpec.Pool2d("pool", kind,
                    kind == PoolKind.MAX ? 3 : 2, 2)));
            if (supports(pool)) {
                checkValues(pool, WeightInitializer.initialize(pool, 23), data(pool, 3, 24),
                        x -> LayerReference.pool(x, 2, 5, 5, kind, kind == PoolKind.MAX ? 3 : 2, 2));
                checked++;
            }
        }
        int d = 8;
        ModelSpec gpt = new ModelSpec("gpt", Shape.of(LENGTH), List.of(new LayerSpec.Embedding("tok", VOCAB, d),
                new LayerSpec.PositionalEmbedding("pos", LENGTH + 2), new LayerSpec.TransformerBlock("block", 2, 2, 0.5),
                new LayerSpec.LayerNorm("ln_f", 1e-5), new LayerSpec.Dense("head", VOCAB, true)));
        if (supports(gpt)) {
            Weights w = perturbed(gpt, WeightInitializer.initialize(gpt, 25));
            checkValues(gpt, w, data(gpt, 3, 26), x -> {
                double[] h = new double[LENGTH * d];
                for (int t = 0; t < LENGTH; t++) {
                    for (int e = 0; e < d; e++) {
                        h[t * d + e] = w.get("tok.weight").data()[(int) x[t] * d + e]
                                + w.get("pos.weight").data()[t * d + e];
                    }
                }
                double[] a = LayerReference.attention(LayerReference.layerNorm(h, LENGTH, d,
                        w.get("block.ln1.weight").data(), w.get("block.ln1.bias").data(), 1e-5), LENGTH, d, 2,
                        w.get("block.attn.qkv.weight").data(), w.get("block.attn.qkv.bias").data(),
                        w.get("block.attn.proj.weight").data(), w.get("block.attn.proj.bias").data());
                h = LayerReference.add(h, a);
                double[] m = LayerReference.layerNorm(h, LENGTH, d, w.get("block.ln2.weight").data(),
                        w.get("block.ln2.bias").data(), 1e-5);
                m = LayerReference.activate(LayerReference.dense(m, LENGTH, d, w.get("block.fc.weight").data(),
                        w.get("block.fc.bias").data(), 2 * d), Activation.GELU);
                m = LayerReference.dense(m, LENGTH, 2 * d, w.get("block.proj.weight").data(),
                        w.get("block.proj.bias").data(), d);
                h = LayerReference.add(h, m);
                h = LayerReference.layerNorm(h, LENGTH, d, w.get("ln_f.weight").data(), w.get("ln_f.bias").data(),
                        1e-5);
                return LayerReference.dense(h, LENGTH, d, w.get("head.weight").data(), w.get("head.bias").data(),
                        VOCAB);
            });
            checked++;
        }
        Assumptions.assumeTrue(checked > 0, "the engine supports none of the layer kinds");
    }

    /** Norm scales and shifts moved away from 1 and 0, so that a swapped or ignored one shows. */
    private static Weights perturbed(ModelSpec spec, Weights w) {
        SplittableRandom random = new SplittableRandom(27);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : w.asMap().entrySet()) {
            Tensor t = e.getValue().copy();
            if (spec.parameter(e.getKey()).role() == dev.bonsai.api.model.ParameterRole.NORM_SCALE
                    || spec.parameter(e.getKey()).role() == dev.bonsai.api.model.ParameterRole.NORM_SHIFT
                    || spec.parameter(e.getKey()).role() == dev.bonsai.api.model.ParameterRole.EMBEDDING
                    || spec.parameter(e.getKey()).role() == dev.bonsai.api.model.ParameterRole.POSITIONAL) {
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] += (float) random.nextDouble(-0.5, 0.5);
                }
            }
            out.put(e.getKey(), t);
        }
        return new Weights(out);
    }

    private void checkValues(ModelSpec spec, Weights weights, Split split,
            java.util.function.Function<double[], double[]> reference) {
        int size = Math.toIntExact(spec.inputShape().size());
        int outSize = Math.toIntExact(spec.outputShape().size());
        double[] expected = new double[split.size() * outSize];
        for (int s = 0; s < split.size(); s++) {
            double[] x = new double[size];
            for (int i = 0; i < size; i++) {
                x[i] = split.features()[s * size + i];
            }
            System.arraycopy(reference.apply(x), 0, expected, s * outSize, outSize);
        }
        try (Network network = runtime().build(spec, weights, device())) {
            Tensor logits = network.logits(all(split));
            assertThat(logits.shape()).isEqualTo(spec.outputShape().prepend(split.size()));
            EngineContract.assertClose(logits.data(), expected, 1e-5, spec.name() + " output");
        }
    }

    /**
     * The {@link GradientProbe} of every layer kind agrees with central finite differences of the evaluation loss.
     *
     * <p>Tolerances: the loss is computed in float32 (relative rounding ~6e-8, so ~1e-7 absolute for a loss near 1).
     * With a step h = 1e-3 the rounding error of a difference quotient is ~1e-7 / 1e-3 = 1e-4, and the truncation
     * error ~h²·L''' is ~1e-6; an element passes when it is within 2e-2 of the larger magnitude plus 3e-4. The
     * directional check (the loss change along the whole gradient, which must equal its squared norm) covers every
     * element at once with relative tolerance 2e-2. ReLU and max pooling are only piecewise smooth: when a kink
     * lies within ±h the two one-sided quotients disagree by more than the tolerance, and the element then passes
     * when the probe lies between them (the derivative on w's side of the kink); a smooth function never shows that
     * signature, so a wrong gradient cannot hide behind it.
     *
     * <p>Catches a wrong backward pass of any layer (a transposed kernel, a missing bias gradient, a wrong
     * normalisation, a mask leaking into attention's gradient), gradients of a sequence model averaged over samples
     * instead of positions, and a probe that returns another batch's gradient.
     */
    @Test
    public void gradientsOfEveryLayerKindMatchFiniteDifferences() {
        int tested = 0;
        for (Case c : cases()) {
            if (!supports(c.spec())) {
                continue;
            }
            checkGradients(c);
            tested++;
        }
        Assumptions.assumeTrue(tested > 0, "the engine supports none of the layer kinds");
    }

    private void checkGradients(Case c) {
        ModelSpec spec = c.spec();
        Split split = data(spec, 6, 3);
        Weights w0 = WeightInitializer.initialize(spec, 4);
        try (Network network = runtime().build(spec, w0, device())) {
            Optional<GradientProbe> probe = network.capability(GradientProbe.class);
            Assumptions.assumeTrue(probe.isPresent(), "the engine has no native gradient probe");
            Weights g = probe.get().gradientSum(List.of(all(split)));
            double h = 1e-3;
            double base = network.evaluate(split, split.size()).loss();
            SplittableRandom random = new SplittableRandom(5);
            for (ParameterSpec p : spec.parameters().values()) {
                if (!p.role().trainable()) {
                    continue;
                }
                float[] grad = g.get(p.name()).data();
                int largest = 0;
                for (int i = 1; i < grad.length; i++) {
                    if (Math.abs(grad[i]) > Math.abs(grad[largest])) {
                        largest = i;
                    }
                }
                int[] picks = {largest, random.nextInt(grad.length), random.nextInt(grad.length)};
                for (int i : picks) {
                    double plus = lossWith(network, w0, p.name(), i, h, split);
                    double minus = lossWith(network, w0, p.name(), i, -h, split);
                    double fd = (plus - minus) / (2 * h);
                    double tolerance = 2e-2 * Math.max(Math.abs(fd), Math.abs(grad[i])) + 3e-4;
                    if (Math.abs(fd - grad[i]) <= tolerance) {
                        continue;
                    }
                    // a kink of ReLU or max pooling within ±h: the one-sided quotients disagree, and the derivative
                    // at w is (up to the tolerance) the one-sided derivative on w's side, between them
                    double forward = (plus - base) / h;
                    double backward = (base - minus) / h;
                    boolean kink = Math.abs(forward - backward) > 2 * tolerance;
                    double low = Math.min(forward, backward) - tolerance;
                    double high = Math.max(forward, backward) + tolerance;
                    assertThat(kink && grad[i] >= low && grad[i] <= high)
                            .as("%s: d loss / d %s[%d]: probe %s, finite difference %s (one-sided %s, %s)", c.kind(),
                                    p.name(), i, grad[i], fd, forward, backward)
                            .isTrue();
                }
            }
            // directional: L(w + t·g) − L(w − t·g) ≈ 2t·|g|²
            double norm2 = 0;
            for (Tensor t : g.asMap().values()) {
                for (float v : t.data()) {
                    norm2 += (double) v * v;
                }
            }
            double t = 1e-3 / Math.sqrt(norm2);
            double plus = lossAlong(network, w0, g, t, split);
            double minus = lossAlong(network, w0, g, -t, split);
            double slope = (plus - minus) / (2 * t);
            assertThat(Math.abs(slope - norm2)).as("%s: loss slope along the gradient %s vs |g|² %s", c.kind(), slope,
                    norm2).isLessThanOrEqualTo(2e-2 * norm2 + 1e-4);
        }
    }

    private static double lossWith(Network network, Weights w0, String name, int index, double delta, Split split) {
        Tensor t = w0.get(name).copy();
        t.data()[index] += (float) delta;
        network.loadWeights(new Weights(Map.of(name, t)));
        double loss = network.evaluate(split, split.size()).loss();
        network.loadWeights(new Weights(Map.of(name, w0.get(name))));
        return loss;
    }

    private static double lossAlong(Network network, Weights w0, Weights direction, double step, Split split) {
        Map<String, Tensor> moved = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : direction.asMap().entrySet()) {
            float[] base = w0.get(e.getKey()).data();
            float[] d = e.getValue().data();
            float[] out = new float[base.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (base[i] + step * d[i]);
            }
            moved.put(e.getKey(), new Tensor(e.getValue().shape(), out));
        }
        network.loadWeights(new Weights(moved));
        double loss = network.evaluate(split, split.size()).loss();
        network.loadWeights(w0);
        return loss;
    }

    /**
     * Batch norm in training normalises with the batch's statistics and moves the running statistics by the
     * momentum ({@code r = 0.9·r + 0.1·batch}, the variance unbiased); evaluation uses the running statistics and
     * leaves them alone; the optimizer (with momentum and weight decay) never changes them. Catches batch norm that
     * always uses batch statistics (evaluation then depends on the batch), never updates its running statistics,
     * updates them in evaluation, or lets the optimizer decay them.
     */
    @Test
    public void batchNormKeepsRunningStatisticsInTrainingAndUsesThemInEvaluation() {
        ModelSpec spec = new ModelSpec("bn", Shape.of(CLASSES), List.of(new LayerSpec.BatchNorm("bn", 0.1, 1e-5)));
        Assumptions.assumeTrue(supports(spec), "batch norm is not supported");
        int n = 8;
        Split split = data(spec, n, 6);
        float[] x = split.features();
        double[] mean = new double[CLASSES];
        double[] var = new double[CLASSES];
        double[] biased = new double[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            for (int s = 0; s < n; s++) {
                mean[c] += x[s * CLASSES + c] / (double) n;
            }
            for (int s = 0; s < n; s++) {
                double d = x[s * CLASSES + c] - mean[c];
                var[c] += d * d / (n - 1);
                biased[c] += d * d / n;
            }
        }
        // the first training step's loss: cross-entropy of the batch-normalised features (scale 1, shift 0)
        double[] normalised = new double[n * CLASSES];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < CLASSES; c++) {
                normalised[s * CLASSES + c] = (x[s * CLASSES + c] - mean[c]) / Math.sqrt(biased[c] + 1e-5);
            }
        }
        double expectedLoss = crossEntropy(normalised, split.labels(), CLASSES);
        Weights initial = WeightInitializer.initialize(spec, 7);
        try (Network network = runtime().build(spec, initial, device())) {
            network.evaluate(split, 3);
            network.logits(all(split));
            assertThat(network.weights().get("bn.running_mean").data()).as("running mean after evaluation")
                    .containsExactly(0f, 0f, 0f);
            TrainingResult result = network.train(new TrainingPlan(split, new BatchSampler(1), 0,
                    config(new OptimizerSpec.Sgd(0.1, 0.9, false, 0.5), 1, n), Optional.empty()),
                    TrainingListener.NONE);
            assertThat(result.epochLosses().get(0)).as("training loss uses batch statistics")
                    .isCloseTo(expectedLoss, org.assertj.core.data.Offset.offset(1e-4));
            Weights after = network.weights();
            float[] runningMean = after.get("bn.running_mean").data();
            float[] runningVar = after.get("bn.running_var").data();
            for (int c = 0; c < CLASSES; c++) {
                assertThat((double) runningMean[c]).as("running mean %d", c)
                        .isCloseTo(0.1 * mean[c], org.assertj.core.data.Offset.offset(1e-5));
                assertThat((double) runningVar[c]).as("running var %d", c)
                        .isCloseTo(0.9 + 0.1 * var[c], org.assertj.core.data.Offset.offset(1e-5));
            }
            float[] gamma = after.get("bn.weight").data();
            float[] beta = after.get("bn.bias").data();
            assertThat(gamma).as("the scale was trained").isNotEqualTo(new float[] {1, 1, 1});
            double[] expected = new double[n * CLASSES];
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < CLASSES; c++) {
                    expected[s * CLASSES + c] = (x[s * CLASSES + c] - runningMean[c])
                            / Math.sqrt(runningVar[c] + 1e-5) * gamma[c] + beta[c];
                }
            }
            EngineContract.assertClose(network.logits(all(split)).data(), expected, 1e-5, "evaluation-mode logits");
            assertThat(network.weights().get("bn.running_var").data()).as("evaluation leaves the running var")
                    .containsExactly(runningVar);
        }
    }

    /**
     * In causal self-attention and the transformer block, the output at position t does not depend on the inputs
     * after t, and does depend on the inputs up to t. Catches a missing or transposed causal mask, and attention
     * that mixes samples of a batch.
     */
    @Test
    public void attentionIsCausal() {
        for (Case c : cases()) {
            if (!c.kind().equals("causal-self-attention") && !c.kind().equals("transformer-block")
                    || !supports(c.spec())) {
                continue;
            }
            ModelSpec spec = c.spec();
            Split split = data(spec, 3, 8);
            float[] changed = split.features().clone();
            int t = 1;
            for (int s = 0; s < 3; s++) {
                for (int p = t + 1; p < LENGTH; p++) {
                    changed[s * LENGTH + p] = (changed[s * LENGTH + p] + 1 + p) % VOCAB;
                }
            }
            float[] earlier = split.features().clone();
            earlier[0] = (earlier[0] + 2) % VOCAB; // sample 0, position 0
            try (Network network = runtime().build(spec, WeightInitializer.initialize(spec, 9), device())) {
                float[] base = network.logits(all(split)).data();
                float[] after = network.logits(new Batch(new Tensor(Shape.of(3, LENGTH), changed),
                        split.labels())).data();
                float[] before = network.logits(new Batch(new Tensor(Shape.of(3, LENGTH), earlier),
                        split.labels())).data();
                int row = LENGTH * VOCAB;
                for (int s = 0; s < 3; s++) {
                    for (int p = 0; p < LENGTH; p++) {
                        double diff = 0;
                        double diffEarlier = 0;
                        for (int v = 0; v < VOCAB; v++) {
                            int i = s * row + p * VOCAB + v;
                            diff = Math.max(diff, Math.abs(after[i] - base[i]));
                            diffEarlier = Math.max(diffEarlier, Math.abs(before[i] - base[i]));
                        }
                        if (p <= t) {
                            assertThat(diff).as("%s: sample %d position %d changed by later inputs", c.kind(), s, p)
                                    .isLessThanOrEqualTo(1e-6);
                        } else {
                            assertThat(diff).as("%s: sample %d position %d", c.kind(), s, p).isGreaterThan(1e-6);
                        }
                        if (s == 0) {
                            assertThat(diffEarlier).as("%s: position %d sees position 0", c.kind(), p)
                                    .isGreaterThan(1e-6);
                        } else {
                            assertThat(diffEarlier).as("%s: sample %d sees sample 0", c.kind(), s)
                                    .isLessThanOrEqualTo(1e-6);
                        }
                    }
                }
            }
        }
    }

    /**
     * A sequence model's evaluation is the mean cross-entropy and accuracy over all B·T positions of its logits,
     * at any batch size. Catches losses averaged per sample, labels paired with the wrong positions, and accuracy
     * counted per sample.
     */
    @Test
    public void sequenceEvaluationIsPerPosition() {
        ModelSpec spec = sequence("seq-eval", new LayerSpec.TransformerBlock("block", 2, 2, 0));
        Assumptions.assumeTrue(supports(spec), "sequence layers are not supported");
        Split split = data(spec, 7, 10);
        try (Network network = runtime().build(spec, WeightInitializer.initialize(spec, 11), device())) {
            Evaluation host = HostReference.evaluate(network.logits(all(split)).data(), split.labels(), VOCAB);
            for (int batch : new int[] {1, 3, 7}) {
                Evaluation e = network.evaluate(split, batch);
                assertThat(e.samples()).isEqualTo(7);
                assertThat(e.accuracy()).as("accuracy at batch %d", batch).isEqualTo(host.accuracy());
                assertThat(e.loss()).as("loss at batch %d", batch)
                        .isCloseTo(host.loss(), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /**
     * Training twice from the same weights and seed gives bit-identical weights (running statistics included) and
     * losses on the CPU, with convolutions, batch norm, dropout, attention dropout, transformer blocks and decoder
     * blocks (fused attention). Catches unseeded dropout, nondeterministic kernels and state (running statistics,
     * optimizer buffers) that survives from one network or call into another.
     */
    @Test
    public void trainingWithEveryLayerKindIsDeterministic() {
        Assumptions.assumeTrue("cpu".equals(device()), "bit-exact determinism is only required on the CPU");
        for (Case c : cases()) {
            if (!supports(c.spec()) || !List.of("batch-norm-2d", "dropout-flatten", "transformer-block", "max-pool",
                    "llama-decoder").contains(c.kind())) {
                continue;
            }
            Split split = data(c.spec(), 24, 12);
            Weights initial = WeightInitializer.initialize(c.spec(), 13);
            TrainingPlan plan = new TrainingPlan(split, new BatchSampler(14), 0,
                    config(new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 0.01, true), 2, 8), Optional.empty());
            Weights first;
            List<Double> losses;
            try (Network network = runtime().build(c.spec(), initial, device())) {
                losses = network.train(plan, TrainingListener.NONE).epochLosses();
                first = network.weights();
            }
            try (Network network = runtime().build(c.spec(), initial, device())) {
                assertThat(network.train(plan, TrainingListener.NONE).epochLosses()).as(c.kind())
                        .containsExactlyElementsOf(losses);
                EngineContract.assertSameWeights(network.weights(), first);
            }
            assertThat(first.asMap()).as("%s: training changed the weights", c.kind())
                    .isNotEqualTo(initial.asMap());
        }
    }

    /**
     * A mask on a convolution kernel (and on a batch-norm scale) keeps those elements exactly zero through training
     * with SGD with momentum and with Adam, while the kept elements train. Catches masks enforced only for dense
     * matrices, or only before the first step, and optimizer state that regrows pruned kernel weights.
     */
    @Test
    public void masksOnAConvolutionKernelStayZeroThroughTraining() {
        ModelSpec spec = cases().stream().filter(c -> c.kind().equals("batch-norm-2d")).findFirst().orElseThrow()
                .spec();
        Assumptions.assumeTrue(supports(spec), "conv2d and batch norm are not supported");
        Split split = data(spec, 24, 15);
        SplittableRandom random = new SplittableRandom(16);
        Map<String, Mask> masks = new LinkedHashMap<>();
        for (String name : List.of("conv.weight", "bn.weight")) {
            Shape shape = spec.parameter(name).shape();
            BitSet kept = new BitSet();
            for (int i = 0; i < shape.size(); i++) {
                if (random.nextBoolean()) {
                    kept.set(i);
                }
            }
            masks.put(name, new Mask(shape, kept));
        }
        MaskSet maskSet = new MaskSet(masks);
        for (OptimizerSpec optimizer : List.of(new OptimizerSpec.Sgd(0.05, 0.9, true, 1e-2),
                new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 1e-2, false))) {
            try (Network network = runtime().build(spec, WeightInitializer.initialize(spec, 17), device())) {
                network.applyMasks(maskSet);
                Weights before = network.weights();
                network.train(new TrainingPlan(split, new BatchSampler(18), 0, config(optimizer, 3, 8),
                        Optional.empty()), TrainingListener.NONE);
                Weights after = network.weights();
                EngineContract.assertMaskedZero(after, maskSet, "after training with " + optimizer);
                float[] b = before.get("conv.weight").data();
                float[] a = after.get("conv.weight").data();
                int changed = 0;
                for (int i = 0; i < a.length; i++) {
                    if (masks.get("conv.weight").kept(i) && a[i] != b[i]) {
                        changed++;
                    }
                }
                assertThat(changed).as("kept kernel elements that trained").isPositive();
            }
        }
    }

    /**
     * A tiny GPT-style language model (embedding, positional embedding, two pre-norm transformer blocks, final layer
     * norm, dense head) learns a repetitive text: its per-position loss falls well below log(V), the loss of a
     * uniform guess. Catches sequence training that pairs logits with the wrong positions' labels, a broken
     * backward pass through attention, and causal leaks that make the loss collapse only on training data
     * (evaluated on a held-out split of the same text).
     */
    @Test
    public void aTinyCharacterLanguageModelLearnsARepetitiveText() {
        int vocab = 7;
        int length = 8;
        ModelSpec spec = new ModelSpec("tiny-char-gpt", Shape.of(length), List.of(
                new LayerSpec.Embedding("tok_emb", vocab, 32), new LayerSpec.PositionalEmbedding("pos_emb", length),
                new LayerSpec.TransformerBlock("block1", 4, 4, 0), new LayerSpec.TransformerBlock("block2", 4, 4, 0),
                new LayerSpec.LayerNorm("ln_f", 1e-5), new LayerSpec.Dense("head", vocab, false)));
        Assumptions.assumeTrue(supports(spec), "sequence layers are not supported");
        String text = "abcabdabcabdeabcfabcabdabcabdeabcf".repeat(40);
        Split train = windows(text, length, 0, text.length() / 2, "train");
        Split test = windows(text, length, text.length() / 2, text.length(), "test");
        try (Network network = runtime().build(spec, WeightInitializer.initialize(spec, 19), device())) {
            double before = network.evaluate(test, 64).loss();
            network.train(new TrainingPlan(train, new BatchSampler(20), 0,
                    config(new OptimizerSpec.Adam(3e-3, 0.9, 0.99, 1e-8, 0, false), 8, 16), Optional.empty()),
                    TrainingListener.NONE);
            Evaluation after = network.evaluate(test, 64);
            assertThat(before).as("the untrained loss is near log(V)").isCloseTo(Math.log(vocab),
                    org.assertj.core.data.Offset.offset(0.5));
            assertThat(after.loss()).as("held-out loss after training").isLessThan(0.4 * Math.log(vocab));
        }
    }

    /**
     * The LLaMA-style decoder (grouped-query attention, rotary positions, gated SiLU MLP, RMS norms) and the
     * GPT-2-style one (learned positions, layer norms, biases, tanh-GELU, tied output) give the logits of
     * {@link HostReference}, which computes every layer in double precision from its definition, within 2e-5 of the
     * largest magnitude (float32 over a few hundred terms per value), on random weights whose norms, biases and
     * embeddings are moved off their initial values. Catches a rotary convention other than the half-split one, a
     * rotation at the wrong positions or on the values, key/value heads shared by the wrong query heads, a missing
     * attention scale, the gate and up projections swapped, the wrong GELU, and an output not tied to the embedding.
     */
    @Test
    public void pretrainedDecodersMatchTheHostReference() {
        int checked = 0;
        for (ModelSpec spec : List.of(llamaDecoder(7), gpt2Decoder(7))) {
            if (!supports(spec)) {
                continue;
            }
            Weights w = offsetAll(spec, WeightInitializer.initialize(spec, 31));
            Split split = data(spec, 3, 32);
            double[] expected = HostReference.logits(spec, w, split.features(), split.size());
            try (Network network = runtime().build(spec, w, device())) {
                Tensor logits = network.logits(all(split));
                assertThat(logits.shape()).isEqualTo(spec.outputShape().prepend(split.size()));
                EngineContract.assertClose(logits.data(), expected, 2e-5, spec.name() + " logits");
            }
            checked++;
        }
        Assumptions.assumeTrue(checked > 0, "the engine supports none of the pretrained decoder layers");
    }

    /**
     * In both pretrained-style decoders, one backward pass gives every trainable parameter a gradient with a
     * non-zero element; with the output tied to the embedding, even the embedding rows of tokens that never occur
     * in the input get one (through the output), while with a separate head they stay exactly zero. Catches a
     * sub-layer cut out of the graph (a bias, a norm scale, the gate, the positions) and a tied output that reads a
     * detached copy of the embedding.
     */
    @Test
    public void gradientsReachEveryParameterOfThePretrainedDecoders() {
        int checked = 0;
        for (ModelSpec spec : List.of(llamaDecoder(LENGTH), gpt2Decoder(LENGTH))) {
            if (!supports(spec)) {
                continue;
            }
            boolean tied = spec.layers().get(spec.layers().size() - 1) instanceof LayerSpec.TiedOutput;
            int samples = 4;
            float[] features = new float[samples * LENGTH];
            SplittableRandom random = new SplittableRandom(33);
            for (int i = 0; i < features.length; i++) {
                features[i] = random.nextInt(3); // tokens 0..2 only
            }
            int[] labels = new int[samples * LENGTH];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = random.nextInt(VOCAB);
            }
            Batch batch = new Batch(new Tensor(Shape.of(samples, LENGTH), features), labels);
            try (Network network = runtime().build(spec, WeightInitializer.initialize(spec, 34), device())) {
                Optional<GradientProbe> probe = network.capability(GradientProbe.class);
                Assumptions.assumeTrue(probe.isPresent(), "the engine has no native gradient probe");
                Weights g = probe.get().gradientSum(List.of(batch));
                for (ParameterSpec p : spec.parameters().values()) {
                    if (!p.role().trainable()) {
                        continue;
                    }
                    double norm = 0;
                    for (float v : g.get(p.name()).data()) {
                        norm += (double) v * v;
                    }
                    assertThat(norm).as("%s: squared gradient norm of %s", spec.name(), p.name()).isPositive();
                }
                float[] embed = g.get("embed.weight").data();
                int d = embed.length / VOCAB;
                for (int token = 3; token < VOCAB; token++) {
                    double norm = 0;
                    for (int e = 0; e < d; e++) {
                        norm += Math.abs(embed[token * d + e]);
                    }
                    if (tied) {
                        assertThat(norm).as("%s: gradient of the unused token %d's row through the tied output",
                                spec.name(), token).isPositive();
                    } else {
                        assertThat(norm).as("%s: gradient of the unused token %d's row", spec.name(), token)
                                .isZero();
                    }
                }
            }
            checked++;
        }
        Assumptions.assumeTrue(checked > 0, "the engine supports none of the pretrained decoder layers");
    }

    /**
     * Masks on a query projection, a gate projection and (in the tied GPT-2-style decoder) the embedding keep those
     * elements exactly zero through training with Adam, while the kept elements train, and the trained network's
     * logits are the host reference's for its own (masked) weights: the tied output uses the masked embedding.
     * Catches masks not enforced on the new layers' weights and a tied output that keeps an unmasked copy.
     */
    @Test
    public void masksOnPretrainedDecoderWeightsStayZeroThroughTraining() {
        int checked = 0;
        for (ModelSpec spec : List.of(llamaDecoder(LENGTH), gpt2Decoder(LENGTH))) {
            if (!supports(spec)) {
                continue;
            }
            List<String> names = spec.name().startsWith("llama")
                    ? List.of("blocks.0.attn.q.weight", "blocks.1.mlp.gate.weight", "blocks.1.attn.k.bias")
                    : List.of("embed.weight", "blocks.0.mlp.up.weight", "blocks.0.attn.o.weight");
            SplittableRandom random = new SplittableRandom(35);
            Map<String, Mask> masks = new LinkedHashMap<>();
            for (String name : names) {
                Shape shape = spec.parameter(name).shape();
                BitSet kept = new BitSet();
                for (int i = 0; i < shape.size(); i++) {
                    if (random.nextBoolean()) {
                        kept.set(i);
                    }
                }
                masks.put(name, new Mask(shape, kept));
            }
            MaskSet maskSet = new MaskSet(masks);
            Split split = data(spec, 24, 36);
            try (Network network = runtime().build(spec, offsetAll(spec, WeightInitializer.initialize(spec, 37)),
                    device())) {
                network.applyMasks(maskSet);
                Weights before = network.weights();
                network.train(new TrainingPlan(split, new BatchSampler(38), 0,
                        config(new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 1e-2, false), 3, 8), Optional.empty()),
                        TrainingListener.NONE);
                Weights after = network.weights();
                EngineContract.assertMaskedZero(after, maskSet, spec.name() + " after training");
                for (String name : names) {
                    float[] b = before.get(name).data();
                    float[] a = after.get(name).data();
                    int changed = 0;
                    for (int i = 0; i < a.length; i++) {
                        if (masks.get(name).kept(i) && a[i] != b[i]) {
                            changed++;
                        }
                    }
                    assertThat(changed).as("%s: kept elements of %s that trained", spec.name(), name).isPositive();
                }
                EngineContract.assertClose(network.logits(all(split)).data(),
                        HostReference.logits(spec, after, split.features(), split.size()), 2e-5,
                        spec.name() + " logits after masked training");
            }
            checked++;
        }
        Assumptions.assumeTrue(checked > 0, "the engine supports none of the pretrained decoder layers");
    }

    /** Every parameter moved by a random offset in [−0.5, 0.5), so that a swapped or ignored one shows. */
    private static Weights offsetAll(ModelSpec spec, Weights w) {
        SplittableRandom random = new SplittableRandom(39);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : w.asMap().entrySet()) {
            Tensor t = e.getValue().copy();
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] += (float) random.nextDouble(-0.5, 0.5);
            }
            out.put(e.getKey(), t);
        }
        return new Weights(out);
    }

    /** Every window of {@code length} characters starting in [from, to − length − 1), with next-character labels. */
    private static Split windows(String text, int length, int from, int to, String name) {
        int samples = to - from - length - 1;
        float[] features = new float[samples * length];
        int[] labels = new int[samples * length];
        for (int s = 0; s < samples; s++) {
            for (int p = 0; p < length; p++) {
                features[s * length + p] = text.charAt(from + s + p) - 'a';
                labels[s * length + p] = text.charAt(from + s + p + 1) - 'a';
            }
        }
        return new Split(name, Shape.of(length), features, labels, length);
    }

    private static double crossEntropy(double[] logits, int[] labels, int classes) {
        double loss = 0;
        for (int s = 0; s < labels.length; s++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[s * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[s * classes + c] - max);
            }
            loss += max + Math.log(sum) - logits[s * classes + labels[s]];
        }
        return loss / labels.length;
    }
}
