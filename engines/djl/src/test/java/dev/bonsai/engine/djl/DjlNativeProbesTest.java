package dev.bonsai.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PoolKind;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.strategies.probes.Capabilities;
import dev.bonsai.strategies.probes.FiniteDifferenceHessianVector;
import dev.bonsai.testkit.engine.SyntheticData;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** djl's native probes beyond the contract: no native arrays left behind, and conv models. */
class DjlNativeProbesTest {
    private static final ModelSpec CONV = new ModelSpec("probe-conv", Shape.of(1, 6, 6), List.of(
            new LayerSpec.Conv2d("conv", 2, 3, 1, 1, true), new LayerSpec.Activate("act", Activation.TANH),
            new LayerSpec.Pool2d("pool", PoolKind.AVG, 2, 2), new LayerSpec.Flatten("flat"),
            new LayerSpec.Dense("fc", 3, true)));
    private static DjlRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = new DjlEngine().create(null);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static List<Batch> batches(Split split) {
        int[] order = new int[split.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return List.of(split.batch(order, 0, 5), split.batch(order, 5, split.size()));
    }

    /**
     * On a LLaMA-style decoder (grouped-query attention with rotary positions, gated SiLU MLP, RMS norms, tied
     * output): native Hessian-vector products are symmetric ({@code uᵀHv = vᵀHu} within 1e-4) and agree with finite
     * differences of the gradient (a step of 2⁻¹⁰, finer than the fallback's default, whose truncation error on this
     * curved loss is a few per cent). Catches an attention kernel whose backward pass cannot itself be
     * differentiated (second derivatives need a graph of the gradient) and a wrong second-order graph.
     */
    @Test
    void decoderHessianVectorProductsAgreeWithFiniteDifferences() {
        ModelSpec spec = new ModelSpec("probe-llama", Shape.of(5), List.of(new LayerSpec.Embedding("embed", 6, 8),
                new LayerSpec.DecoderBlock("blocks.0", true, 1e-5, new LayerSpec.Attention("attn", 4, 2, 2, 1e4,
                        false, false), new LayerSpec.FeedForward("mlp", 12, Activation.SILU, true, false)),
                new LayerSpec.RmsNorm("norm", 1e-5), new LayerSpec.TiedOutput("head", "embed", 6)));
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        float[] tokens = new float[8 * 5];
        int[] labels = new int[8 * 5];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(6);
            labels[i] = random.nextInt(6);
        }
        List<Batch> batches = batches(new Split("tokens", Shape.of(5), tokens, labels, 5));
        try (DjlNetwork network = runtime.build(spec, WeightInitializer.initialize(spec, 8), "cpu")) {
            Weights v = WeightInitializer.initialize(spec, 9);
            Weights exact = network.capability(HessianVectorProbe.class).orElseThrow().hessianVector(v, batches);
            Weights fd = new FiniteDifferenceHessianVector(network, network.capability(GradientProbe.class)
                    .orElseThrow(), 0x1p-10).hessianVector(v, batches);
            double scale = 0;
            for (Tensor t : exact.asMap().values()) {
                for (float x : t.data()) {
                    scale = Math.max(scale, Math.abs(x));
                }
            }
            assertThat(scale).as("largest Hessian-vector element").isPositive();
            Weights u = WeightInitializer.initialize(spec, 10);
            Weights hu = network.capability(HessianVectorProbe.class).orElseThrow().hessianVector(u, batches);
            double uHv = 0;
            double vHu = 0;
            for (String name : exact.asMap().keySet()) {
                float[] hvName = exact.get(name).data();
                float[] huName = hu.get(name).data();
                for (int i = 0; i < hvName.length; i++) {
                    uHv += (double) u.get(name).data()[i] * hvName[i];
                    vHu += (double) v.get(name).data()[i] * huName[i];
                }
            }
            assertThat(uHv).as("uᵀHv against vᵀHu").isCloseTo(vHu, org.assertj.core.data.Offset.offset(
                    1e-4 * Math.abs(vHu)));
            for (Map.Entry<String, Tensor> e : exact.asMap().entrySet()) {
                float[] a = e.getValue().data();
                float[] b = fd.get(e.getKey()).data();
                for (int i = 0; i < a.length; i++) {
                    assertThat((double) Math.abs(a[i] - b[i])).as("%s[%d]", e.getKey(), i)
                            .isLessThanOrEqualTo(3e-3 * scale + 1e-5);
                }
            }
        }
    }

    /**
     * On a decoder, layer-input magnitudes come from the generic probe (the native one covers dense and conv2d
     * layers only) and cover every projection: q, k, v and gate/up with the model width, o with the heads' width,
     * down with the hidden width, each input's mean |x| positive. Catches a decoder model refused by the native probe
     * instead of handed to the generic one.
     */
    @Test
    void decoderLayerInputMagnitudesCoverEveryProjection() {
        ModelSpec spec = new ModelSpec("magnitudes-llama", Shape.of(5), List.of(
                new LayerSpec.Embedding("embed", 6, 8), new LayerSpec.DecoderBlock("blocks.0", true, 1e-5,
                        new LayerSpec.Attention("attn", 4, 2, 3, 0, false, false),
                        new LayerSpec.FeedForward("mlp", 10, Activation.SILU, true, false)),
                new LayerSpec.RmsNorm("norm", 1e-5), new LayerSpec.Dense("head", 6, false)));
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        float[] tokens = new float[6 * 5];
        int[] labels = new int[6 * 5];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(6);
            labels[i] = random.nextInt(6);
        }
        List<Batch> batches = batches(new Split("tokens", Shape.of(5), tokens, labels, 5));
        try (DjlNetwork network = runtime.build(spec, WeightInitializer.initialize(spec, 12), "cpu")) {
            assertThat(network.capability(LayerInputMagnitudeProbe.class)).isEmpty();
            Map<String, LayerInputMagnitudeProbe.Magnitudes> m = Capabilities.resolve(network,
                    LayerInputMagnitudeProbe.class).inputMagnitudes(batches, 0.1);
            Map<String, Integer> widths = Map.of("blocks.0.attn.q.weight", 8, "blocks.0.attn.k.weight", 8,
                    "blocks.0.attn.v.weight", 8, "blocks.0.attn.o.weight", 12, "blocks.0.mlp.gate.weight", 8,
                    "blocks.0.mlp.up.weight", 8, "blocks.0.mlp.down.weight", 10, "head.weight", 8);
            assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(widths.keySet());
            widths.forEach((name, width) -> {
                assertThat(m.get(name).meanAbs().size()).as("%s inputs", name).isEqualTo(width);
                for (float mean : m.get(name).meanAbs().data()) {
                    assertThat(mean).as("%s mean |x|", name).isPositive();
                }
            });
        }
    }

    /** Catches: probes that leave native arrays attached to the network (a leak across calls on the Java side). */
    @Test
    void probesLeaveNoArraysBehind() {
        Split split = SyntheticData.random("p", 12, CONV.inputShape(), 3, 1);
        List<Batch> batches = batches(split);
        try (DjlNetwork network = runtime.build(CONV, WeightInitializer.initialize(CONV, 2), "cpu")) {
            Weights v = WeightInitializer.initialize(CONV, 3);
            network.capability(HessianVectorProbe.class).orElseThrow().hessianVector(v, batches);
            int live = network.liveArrays();
            for (int i = 0; i < 3; i++) {
                network.capability(HessianVectorProbe.class).orElseThrow().hessianVector(v, batches);
                Capabilities.resolve(network, CurvatureProbe.class)
                        .diagonal(CurvatureProbe.Estimator.HUTCHINSON, batches, 3, i);
                network.capability(ActivationProbe.class).orElseThrow().activations(batches.get(0), Set.of("act"));
                network.capability(LayerInputMagnitudeProbe.class).orElseThrow().inputMagnitudes(batches, 0.5);
            }
            assertThat(network.liveArrays()).as("arrays held by the network").isEqualTo(live);
        }
    }

    /**
     * On a conv model: native Hessian-vector products agree with the finite-difference fallback, and the conv
     * layer's input statistics are those of its im2col patches of the input (checked through the Gram diagonal,
     * which equals the per-feature sums of squares). Catches: a native path that mishandles conv or pooling
     * parameters; activations in another layout than {@code [batch, C, H, W]}; native input magnitudes that slice
     * the padded input at other offsets or strides than the im2col patches.
     */
    @Test
    void convModelsAreProbedNativelyAndGenerically() {
        Split split = SyntheticData.random("p", 10, CONV.inputShape(), 3, 4);
        List<Batch> batches = batches(split);
        try (DjlNetwork network = runtime.build(CONV, WeightInitializer.initialize(CONV, 5), "cpu")) {
            Weights v = WeightInitializer.initialize(CONV, 6);
            Weights exact = network.capability(HessianVectorProbe.class).orElseThrow().hessianVector(v, batches);
            Weights fd = Capabilities.generic(network, HessianVectorProbe.class).hessianVector(v, batches);
            double scale = 0;
            for (Tensor t : exact.asMap().values()) {
                for (float x : t.data()) {
                    scale = Math.max(scale, Math.abs(x));
                }
            }
            for (Map.Entry<String, Tensor> e : exact.asMap().entrySet()) {
                float[] a = e.getValue().data();
                float[] b = fd.get(e.getKey()).data();
                for (int i = 0; i < a.length; i++) {
                    assertThat((double) Math.abs(a[i] - b[i])).as("%s[%d]", e.getKey(), i)
                            .isLessThanOrEqualTo(3e-3 * scale + 1e-5);
                }
            }
            LayerInputProbe inputs = Capabilities.resolve(network, LayerInputProbe.class);
            Tensor squares = inputs.inputSquareSums(batches).get("conv.weight");
            Tensor gram = inputs.inputGram(batches, List.of("conv.weight")).get("conv.weight");
            assertThat(squares.shape()).isEqualTo(Shape.of(9));
            // patch feature (kh, kw) of a 6×6 image with padding 1: input pixels in rows/columns it can reach
            double[] expected = new double[9];
            float[] x = split.features();
            for (int s = 0; s < split.size(); s++) {
                for (int oh = 0; oh < 6; oh++) {
                    for (int ow = 0; ow < 6; ow++) {
                        for (int kh = 0; kh < 3; kh++) {
                            for (int kw = 0; kw < 3; kw++) {
                                int ih = oh - 1 + kh;
                                int iw = ow - 1 + kw;
                                if (ih >= 0 && ih < 6 && iw >= 0 && iw < 6) {
                                    double p = x[s * 36 + ih * 6 + iw];
                                    expected[kh * 3 + kw] += p * p;
                                }
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < 9; i++) {
                assertThat((double) squares.data()[i]).isCloseTo(expected[i],
                        org.assertj.core.data.Offset.offset(1e-4 * expected[i]));
                assertThat(gram.data()[i * 9 + i]).isEqualTo(squares.data()[i]);
            }
            assertThat(inputs.inputGram(batches, List.of("fc.weight")).get("fc.weight").shape())
                    .isEqualTo(Shape.of(18, 18));
            // the native magnitudes (a strided slice per kernel offset) agree with the generic im2col patches
            assertThat(network.capability(LayerInputMagnitudeProbe.class)).get()
                    .isInstanceOf(DjlLayerInputMagnitudes.class);
            Map<String, LayerInputMagnitudeProbe.Magnitudes> fast = network.capability(LayerInputMagnitudeProbe.class)
                    .orElseThrow().inputMagnitudes(batches, 0.3);
            Map<String, LayerInputMagnitudeProbe.Magnitudes> slow = Capabilities.generic(network,
                    LayerInputMagnitudeProbe.class).inputMagnitudes(batches, 0.3);
            assertThat(fast.keySet()).containsExactly("conv.weight", "fc.weight");
            for (String name : fast.keySet()) {
                LayerInputMagnitudeProbe.Magnitudes a = fast.get(name);
                LayerInputMagnitudeProbe.Magnitudes b = slow.get(name);
                assertThat(a.rows()).as("rows of %s", name).isEqualTo(b.rows());
                assertThat(a.countAbove()).as("counts of %s", name).containsExactly(b.countAbove());
                for (int i = 0; i < a.inputs(); i++) {
                    assertThat((double) a.meanAbs().data()[i]).as("mean of %s [%d]", name, i)
                            .isCloseTo(b.meanAbs().data()[i], org.assertj.core.data.Offset.offset(1e-6));
                    assertThat(a.maxAbs().data()[i]).as("max of %s [%d]", name, i).isEqualTo(b.maxAbs().data()[i]);
                }
            }
            assertThat(fast.get("conv.weight").rows()).isEqualTo(10L * 36);
        }
    }
}
