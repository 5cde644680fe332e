package dev.bonsai.strategies.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The generic probes' own logic on a host network: resolution, state restoration, conv patches. */
class GenericProbesTest {
    /** A quadratic "network": loss ½ Σ a_i w_i² per batch, so the gradient is a ⊙ w and H = diag(a). */
    private static final ModelSpec QUADRATIC = new ModelSpec("quadratic", Shape.of(3),
            List.of(new LayerSpec.Dense("fc", 2, false)));
    private static final float[] CURVATURE = {1, 2, 3, 4, 5, 6};

    private static GradientProbe quadraticGradient(HostNetwork network) {
        return batches -> {
            float[] w = network.weights().get("fc.weight").data();
            float[] g = new float[w.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = CURVATURE[i] * w[i] * batches.size();
            }
            return new Weights(Map.of("fc.weight", new Tensor(Shape.of(2, 3), g)));
        };
    }

    private static HostNetwork quadratic() {
        return new HostNetwork(QUADRATIC, WeightInitializer.initialize(QUADRATIC, 3))
                .with(GradientProbe.class, GenericProbesTest::quadraticGradient);
    }

    private static List<Batch> batches(int n) {
        Batch b = new Batch(new Tensor(Shape.of(1, 3), new float[3]), new int[] {0});
        return java.util.Collections.nCopies(n, b);
    }

    private static MaskSet mask() {
        BitSet kept = new BitSet();
        kept.set(0, 6);
        kept.clear(1);
        kept.clear(4);
        return new MaskSet(Map.of("fc.weight", new Mask(Shape.of(2, 3), kept)));
    }

    /** Catches: finite differences with masks left on (pruned coordinates of v lost) or a wrong 1/2h or 1/B. */
    @Test
    void finiteDifferencesGiveHvIncludingPrunedCoordinates() {
        HostNetwork network = quadratic();
        network.applyMasks(mask());
        float[] v = {1, -1, 0.5f, 2, 1, -3};
        Weights hv = Capabilities.resolve(network, HessianVectorProbe.class)
                .hessianVector(new Weights(Map.of("fc.weight", new Tensor(Shape.of(2, 3), v))), batches(3));
        for (int i = 0; i < v.length; i++) {
            assertThat((double) hv.get("fc.weight").data()[i]).as("(Hv)[%d]", i)
                    .isCloseTo(CURVATURE[i] * v[i], org.assertj.core.data.Offset.offset(1e-3 * CURVATURE[i]));
        }
    }

    /** Catches: weights or masks not restored, also when the gradient probe fails half-way. */
    @Test
    void finiteDifferencesRestoreWeightsAndMasksEvenOnFailure() {
        HostNetwork network = quadratic();
        network.applyMasks(mask());
        Weights before = network.weights();
        Weights v = new Weights(Map.of("fc.weight", new Tensor(Shape.of(2, 3), new float[] {1, 1, 1, 1, 1, 1})));
        Capabilities.resolve(network, HessianVectorProbe.class).hessianVector(v, batches(1));
        assertThat(network.weights().asMap()).isEqualTo(before.asMap());
        assertThat(network.masks()).isSameAs(network.masks());
        assertThat(network.masks().asMap()).isEqualTo(mask().asMap());
        int[] calls = {0};
        HostNetwork failing = new HostNetwork(QUADRATIC, before).with(GradientProbe.class, n -> batches -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("boom");
            }
            return quadraticGradient(n).gradientSum(batches);
        });
        failing.applyMasks(mask());
        assertThatThrownBy(() -> Capabilities.resolve(failing, HessianVectorProbe.class).hessianVector(v, batches(1)))
                .hasMessage("boom");
        assertThat(failing.weights().asMap()).isEqualTo(before.asMap());
        assertThat(failing.masks().asMap()).isEqualTo(mask().asMap());
    }

    /** Catches: Hutchinson not divided by the number of vectors; Rademacher entries other than ±1 (then not exact). */
    @Test
    void hutchinsonIsExactForADiagonalHessian() {
        Weights d = Capabilities.resolve(quadratic(), CurvatureProbe.class)
                .diagonal(CurvatureProbe.Estimator.HUTCHINSON, batches(2), 7, 1);
        for (int i = 0; i < CURVATURE.length; i++) {
            assertThat((double) d.get("fc.weight").data()[i]).isCloseTo(CURVATURE[i],
                    org.assertj.core.data.Offset.offset(1e-3 * CURVATURE[i]));
        }
    }

    /** Catches: a native capability ignored in favour of the fallback, or a fallback offered without its inputs. */
    @Test
    void resolutionPrefersNativeAndNamesWhatIsMissing() {
        HessianVectorProbe own = (v, b) -> v;
        HostNetwork network = quadratic().with(HessianVectorProbe.class, n -> own);
        assertThat(Capabilities.resolve(network, HessianVectorProbe.class)).isSameAs(own);
        assertThat(Capabilities.generic(network, HessianVectorProbe.class))
                .isInstanceOf(FiniteDifferenceHessianVector.class);
        HostNetwork bare = new HostNetwork(QUADRATIC, WeightInitializer.initialize(QUADRATIC, 3));
        assertThatThrownBy(() -> Capabilities.resolve(bare, HessianVectorProbe.class))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("HessianVectorProbe")
                .hasMessageContaining("GradientProbe");
        assertThatThrownBy(() -> Capabilities.resolve(bare, LayerInputProbe.class))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("ActivationProbe");
        assertThatThrownBy(() -> Capabilities.resolve(bare, GradientProbe.class))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("no generic fallback");
        assertThatThrownBy(() -> Capabilities.resolve(bare, CurvatureProbe.class))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("GradientProbe");
        HostNetwork hvpOnly = new HostNetwork(QUADRATIC, WeightInitializer.initialize(QUADRATIC, 3))
                .with(HessianVectorProbe.class, n -> own);
        CurvatureProbe curvature = Capabilities.resolve(hvpOnly, CurvatureProbe.class);
        assertThatThrownBy(() -> curvature.diagonal(CurvatureProbe.Estimator.EMPIRICAL_FISHER, batches(1), 0, 1))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("GradientProbe");
    }

    /**
     * In a decoder block, the query, key and value projections take the attention norm's output, the output
     * projection the concatenated heads ({@code <attn>.heads}), the gate and up projections the MLP norm's output and
     * the down projection the hidden activation ({@code <mlp>.hidden}); a head after the final norm takes the norm's
     * output. Each probe output here is distinct, so a weight paired with the wrong one shows in its square sums.
     */
    @Test
    void decoderBlockProjectionsTakeTheirInputsFromTheNormsHeadsAndHiddenActivation() {
        int t = 2;
        ModelSpec spec = new ModelSpec("decoder", Shape.of(t), List.of(new LayerSpec.Embedding("embed", 5, 4),
                new LayerSpec.DecoderBlock("blocks.0", true, 1e-5, new LayerSpec.Attention("attn", 2, 1, 3, 0,
                        false, false), new LayerSpec.FeedForward("mlp", 5, Activation.SILU, true, false)),
                new LayerSpec.RmsNorm("norm", 1e-5), new LayerSpec.Dense("head", 5, false)));
        Map<String, Integer> widths = Map.of("blocks.0.attn_norm", 4, "blocks.0.attn.heads", 6,
                "blocks.0.mlp_norm", 4, "blocks.0.mlp.hidden", 5, "norm", 4);
        Map<String, Integer> offsets = Map.of("blocks.0.attn_norm", 1, "blocks.0.attn.heads", 10,
                "blocks.0.mlp_norm", 100, "blocks.0.mlp.hidden", 1000, "norm", 10000);
        HostNetwork network = new HostNetwork(spec, WeightInitializer.initialize(spec, 1))
                .with(ActivationProbe.class, n -> (b, names) -> {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    for (String name : names) {
                        float[] data = new float[t * widths.get(name)];
                        for (int i = 0; i < data.length; i++) {
                            data[i] = offsets.get(name) + i;
                        }
                        out.put(name, new Tensor(Shape.of(1, t, widths.get(name)), data));
                    }
                    return out;
                });
        Batch batch = new Batch(new Tensor(Shape.of(1, t), new float[] {1, 2}), new int[] {0, 1});
        Map<String, Tensor> squares = Capabilities.resolve(network, LayerInputProbe.class)
                .inputSquareSums(List.of(batch));
        Map<String, String> inputOf = new LinkedHashMap<>();
        for (String p : List.of("q", "k", "v")) {
            inputOf.put("blocks.0.attn." + p + ".weight", "blocks.0.attn_norm");
        }
        inputOf.put("blocks.0.attn.o.weight", "blocks.0.attn.heads");
        inputOf.put("blocks.0.mlp.gate.weight", "blocks.0.mlp_norm");
        inputOf.put("blocks.0.mlp.up.weight", "blocks.0.mlp_norm");
        inputOf.put("blocks.0.mlp.down.weight", "blocks.0.mlp.hidden");
        inputOf.put("head.weight", "norm");
        assertThat(squares.keySet()).containsExactlyInAnyOrderElementsOf(inputOf.keySet());
        inputOf.forEach((weight, source) -> {
            int width = widths.get(source);
            float[] expected = new float[width];
            for (int j = 0; j < width; j++) {
                for (int position = 0; position < t; position++) {
                    double v = offsets.get(source) + position * width + j;
                    expected[j] += (float) (v * v);
                }
            }
            assertThat(squares.get(weight).data()).as("square sums of %s's inputs", weight).containsExactly(expected);
        });
    }

    /**
     * Conv inputs are im2col patches (channel, kernel row, kernel column) with zero padding; dense inputs after a
     * flatten are the flattened outputs. Catches: patches in another order than the weight layout, padding
     * dropped, a stride ignored, the layer's output taken for its input.
     */
    @Test
    void convLayerInputsAreIm2colPatches() {
        ModelSpec spec = new ModelSpec("conv", Shape.of(2, 3, 3), List.of(
                new LayerSpec.Activate("act", Activation.RELU),
                new LayerSpec.Conv2d("conv", 1, 2, 2, 1, false),
                new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc", 2, false)));
        SplittableRandom random = new SplittableRandom(5);
        float[] x = new float[2 * 18];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        Batch batch = new Batch(new Tensor(Shape.of(2, 2, 3, 3), x), new int[] {0, 1});
        float[] convOut = new float[2 * 4];
        for (int i = 0; i < convOut.length; i++) {
            convOut[i] = i + 1;
        }
        HostNetwork network = new HostNetwork(spec, WeightInitializer.initialize(spec, 1))
                .with(ActivationProbe.class, n -> (b, names) -> {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    if (names.contains("act")) {
                        out.put("act", b.features());
                    }
                    if (names.contains("flat")) {
                        out.put("flat", new Tensor(Shape.of(2, 4), convOut));
                    }
                    return out;
                });
        LayerInputProbe probe = Capabilities.resolve(network, LayerInputProbe.class);
        Map<String, Tensor> gram = probe.inputGram(List.of(batch), List.of("conv.weight", "fc.weight"));
        Map<String, Tensor> squares = probe.inputSquareSums(List.of(batch));
        // conv: out 2x2 positions (stride 2, pad 1 on 3x3), patch 2·2·2 = 8, rows: 2 samples × 4 positions
        double[] expected = new double[64];
        double[] sq = new double[8];
        for (int s = 0; s < 2; s++) {
            for (int oh = 0; oh < 2; oh++) {
                for (int ow = 0; ow < 2; ow++) {
                    double[] patch = new double[8];
                    for (int c = 0; c < 2; c++) {
                        for (int kh = 0; kh < 2; kh++) {
                            for (int kw = 0; kw < 2; kw++) {
                                int ih = oh * 2 - 1 + kh;
                                int iw = ow * 2 - 1 + kw;
                                boolean inside = ih >= 0 && ih < 3 && iw >= 0 && iw < 3;
                                patch[(c * 2 + kh) * 2 + kw] = inside ? x[s * 18 + c * 9 + ih * 3 + iw] : 0;
                            }
                        }
                    }
                    for (int i = 0; i < 8; i++) {
                        sq[i] += patch[i] * patch[i];
                        for (int j = 0; j < 8; j++) {
                            expected[i * 8 + j] += patch[i] * patch[j];
                        }
                    }
                }
            }
        }
        assertThat(gram.get("conv.weight").shape()).isEqualTo(Shape.of(8, 8));
        for (int i = 0; i < 64; i++) {
            assertThat((double) gram.get("conv.weight").data()[i]).as("conv Gram [%d]", i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5));
        }
        for (int i = 0; i < 8; i++) {
            assertThat((double) squares.get("conv.weight").data()[i]).isCloseTo(sq[i],
                    org.assertj.core.data.Offset.offset(1e-5));
        }
        // fc: rows are the flattened conv outputs 1..4 and 5..8
        assertThat(squares.get("fc.weight").data()).containsExactly(1 + 25, 4 + 36, 9 + 49, 16 + 64);
        assertThat(gram.get("fc.weight").data()[1]).isEqualTo(1 * 2 + 5 * 6);
        assertThatThrownBy(() -> probe.inputGram(List.of(batch), List.of("conv.bias")))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("conv.bias");
        assertThat(Set.copyOf(squares.keySet())).containsExactlyInAnyOrder("conv.weight", "fc.weight");
    }
}
