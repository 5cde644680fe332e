package dev.bonsai.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void infersShapesAndParametersOfAConvNet() {
        ModelSpec spec = new ModelSpec("cnn", Shape.of(3, 32, 32), List.of(
                new LayerSpec.Conv2d("conv1", 16, 3, 1, 1, true),
                new LayerSpec.BatchNorm("bn1", 0.1, 1e-5),
                new LayerSpec.Activate("relu1", Activation.RELU),
                new LayerSpec.Pool2d("pool1", PoolKind.MAX, 2, 2),
                new LayerSpec.Residual("res", List.of(new LayerSpec.Conv2d("res.conv", 16, 3, 1, 1, false))),
                new LayerSpec.Flatten("flatten"),
                new LayerSpec.Dense("fc", 10, true)));
        assertThat(spec.outputShape()).isEqualTo(Shape.of(10));
        assertThat(spec.parameter("conv1.weight").shape()).isEqualTo(Shape.of(16, 3, 3, 3));
        assertThat(spec.parameter("conv1.weight").fanIn()).isEqualTo(27);
        assertThat(spec.parameter("fc.weight").shape()).isEqualTo(Shape.of(10, 16 * 16 * 16));
        assertThat(spec.parameter("bn1.running_var").role()).isEqualTo(ParameterRole.RUNNING_VAR);
        long expected = 16 * 27 + 16 + 16 + 16 + 16 * 16 * 9 + 10 * 4096 + 10;
        assertThat(spec.trainableParameterCount()).isEqualTo(expected);
    }

    @Test
    void infersATransformerLanguageModel() {
        ModelSpec spec = new ModelSpec("gpt", Shape.of(32), List.of(
                new LayerSpec.Embedding("tok", 65, 64),
                new LayerSpec.PositionalEmbedding("pos", 32),
                new LayerSpec.TransformerBlock("block0", 4, 4, 0.1),
                new LayerSpec.LayerNorm("ln_f", 1e-5),
                new LayerSpec.Dense("head", 65, false)));
        assertThat(spec.outputShape()).isEqualTo(Shape.of(32, 65));
        assertThat(spec.parameter("block0.attn.qkv.weight").shape()).isEqualTo(Shape.of(192, 64));
        assertThat(spec.parameter("block0.fc.weight").shape()).isEqualTo(Shape.of(256, 64));
        assertThat(spec.parameter("block0.proj.weight").shape()).isEqualTo(Shape.of(64, 256));
    }

    @Test
    void rejectsLayersThatDoNotFitAndRepeatedNames() {
        assertThatThrownBy(() -> new ModelSpec("m", Shape.of(784), List.of(new LayerSpec.Conv2d("c", 4, 3, 1, 0, true))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 'c' (conv2d)");
        assertThatThrownBy(() -> new ModelSpec("m", Shape.of(4), List.of(new LayerSpec.Dense("a", 4, true),
                new LayerSpec.Dense("a", 2, true)))).hasMessageContaining("two layers named 'a'");
    }

    @Test
    void seededInitialWeightsAreReproducibleAndFollowTheDocumentedDistributions() {
        ModelSpec spec = new ModelSpec("m", Shape.of(100), List.of(new LayerSpec.Dense("fc", 50, true),
                new LayerSpec.LayerNorm("ln", 1e-5)));
        Weights a = WeightInitializer.initialize(spec, 7);
        assertThat(WeightInitializer.initialize(spec, 7).asMap()).isEqualTo(a.asMap());
        assertThat(WeightInitializer.initialize(spec, 8).get("fc.weight")).isNotEqualTo(a.get("fc.weight"));
        float bound = (float) (1 / Math.sqrt(100));
        double mean = 0;
        for (float v : a.get("fc.weight").data()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
            mean += v;
        }
        assertThat(mean / 5000).isBetween(-0.01, 0.01);
        assertThat(a.get("ln.weight").data()).containsOnly(1f);
        assertThat(a.get("ln.bias").data()).containsOnly(0f);
        a.checkMatches(spec);
    }

    @Test
    void aParametersStreamDoesNotDependOnOtherLayers() {
        ModelSpec small = new ModelSpec("m", Shape.of(10), List.of(new LayerSpec.Dense("fc", 5, true)));
        ModelSpec larger = new ModelSpec("m", Shape.of(10), List.of(new LayerSpec.Dense("fc", 5, true),
                new LayerSpec.Dense("out", 3, true)));
        assertThat(WeightInitializer.initialize(larger, 1).get("fc.weight"))
                .isEqualTo(WeightInitializer.initialize(small, 1).get("fc.weight"));
    }
}
