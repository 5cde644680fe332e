package dev.bonsai.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.options.DefaultValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks the test kit's own reference computations, so the contract compares engines against correct values. */
class TestkitSelfTest {

    @Test
    void erfMatchesKnownValues() {
        assertThat(HostReference.erf(0)).isCloseTo(0, offset(1e-7));
        assertThat(HostReference.erf(0.5)).isCloseTo(0.5204998778130465, offset(2e-7));
        assertThat(HostReference.erf(-1)).isCloseTo(-0.8427007929497149, offset(2e-7));
        assertThat(HostReference.erf(2.5)).isCloseTo(0.9995930479825550, offset(2e-7));
        assertThat(HostReference.activate(Activation.GELU, 1)).isCloseTo(0.8413447460685429, offset(2e-7));
    }

    @Test
    void hostForwardComputesDenseLayersAndActivations() {
        ModelSpec spec = new ModelSpec("m", Shape.of(2), List.of(new LayerSpec.Dense("fc", 2, true),
                new LayerSpec.Activate("relu", Activation.RELU)));
        Weights w = new Weights(Map.of("fc.weight", new Tensor(Shape.of(2, 2), new float[] {1, 2, 3, 4}),
                "fc.bias", new Tensor(Shape.of(2), new float[] {0.5f, -100})));
        double[] y = HostReference.logits(spec, w, new float[] {1, 1, -1, 0}, 2);
        assertThat(y).containsExactly(3.5, 0, 0, 0);
    }

    @Test
    void hostForwardComputesConvBatchNormInEvaluationModeAndResiduals() {
        ModelSpec spec = new ModelSpec("c", Shape.of(1, 2, 2), List.of(new LayerSpec.Conv2d("conv", 1, 2, 1, 0, true),
                new LayerSpec.BatchNorm("bn", 0.1, 1), new LayerSpec.Residual("res", List.of(
                        new LayerSpec.Activate("tanh", Activation.TANH))),
                new LayerSpec.Flatten("flat"), new LayerSpec.Dense("fc", 1, false)));
        Weights w = new Weights(Map.of("conv.weight", new Tensor(Shape.of(1, 1, 2, 2), new float[] {1, 0, 0, 1}),
                "conv.bias", new Tensor(Shape.of(1), new float[] {0.5f}),
                "bn.weight", new Tensor(Shape.of(1), new float[] {2}), "bn.bias", new Tensor(Shape.of(1), new float[] {1}),
                "bn.running_mean", new Tensor(Shape.of(1), new float[] {1.5f}),
                "bn.running_var", new Tensor(Shape.of(1), new float[] {3}),
                "fc.weight", new Tensor(Shape.of(1, 1), new float[] {3})));
        // conv: 1 + 4 + 0.5 = 5.5; batch norm: (5.5 − 1.5) / √(3 + 1) · 2 + 1 = 5; residual: 5 + tanh 5; dense: × 3
        double[] y = HostReference.logits(spec, w, new float[] {1, 2, 3, 4}, 1);
        assertThat(y[0]).isCloseTo(3 * (5 + Math.tanh(5)), offset(1e-6));
    }

    @Test
    void hostEvaluationComputesCrossEntropyAndAccuracy() {
        Evaluation e = HostReference.evaluate(new float[] {0, 0, 2, 0}, new int[] {0, 1}, 2);
        double expected = (Math.log(2) + Math.log(1 + Math.exp(2))) / 2;
        assertThat(e.loss()).isCloseTo(expected, offset(1e-12));
        assertThat(e.accuracy()).isEqualTo(0.5);
        assertThat(e.samples()).isEqualTo(2);
    }

    @Test
    void separableDataIsSeededAndBalancedEnough() {
        Split a = SyntheticData.separable("a", 300, Shape.of(2, 4), 3, 1, 0);
        Split b = SyntheticData.separable("b", 300, Shape.of(2, 4), 3, 1, 0);
        assertThat(a.features()).containsExactly(b.features());
        assertThat(a.labels()).containsExactly(b.labels());
        int[] counts = new int[3];
        for (int label : a.labels()) {
            counts[label]++;
        }
        assertThat(java.util.Arrays.stream(counts).min().orElseThrow()).isGreaterThan(30);
    }

    /** Options with defaults. */
    record Options(@DefaultValue("3") int threads, @DefaultValue("0.5") double rate, @DefaultValue("true") boolean on,
            @DefaultValue("'x'") String name, @DefaultValue("gelu") Activation activation) {
    }

    /** Options without a default. */
    record Required(int threads) {
    }

    @Test
    void defaultOptionsAreBoundFromAnnotations() {
        assertThat(dev.bonsai.testkit.DefaultOptions.defaults(Options.class)).isEqualTo(new Options(3, 0.5, true, "x", Activation.GELU));
        assertThatThrownBy(() -> dev.bonsai.testkit.DefaultOptions.defaults(Required.class)).hasMessageContaining("threads");
    }
}
