package dev.bonsai.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.pytorch.engine.PtNDArray;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PoolKind;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.testkit.engine.SyntheticData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The compiled forward pass: supported kinds, the layer tap for probes, refusals and memory. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlForwardTest {
    private static final ModelSpec GPT = new ModelSpec("gpt", Shape.of(6), List.of(
            new LayerSpec.Embedding("tok", 7, 8), new LayerSpec.PositionalEmbedding("pos", 8),
            new LayerSpec.Dropout("drop", 0.1), new LayerSpec.TransformerBlock("block1", 2, 4, 0.1),
            new LayerSpec.LayerNorm("ln_f", 1e-5), new LayerSpec.Dense("head", 7, false)));
    private static final ModelSpec CONV = new ModelSpec("conv", Shape.of(1, 8, 8), List.of(
            new LayerSpec.Conv2d("conv1", 4, 3, 1, 1, false), new LayerSpec.BatchNorm("bn1", 0.1, 1e-5),
            new LayerSpec.Activate("relu1", Activation.RELU), new LayerSpec.Pool2d("pool1", PoolKind.MAX, 2, 2),
            new LayerSpec.Residual("res", List.of(new LayerSpec.Conv2d("conv2", 4, 3, 1, 1, true),
                    new LayerSpec.Activate("gelu", Activation.GELU))),
            new LayerSpec.Pool2d("pool2", PoolKind.AVG, 2, 2), new LayerSpec.Flatten("flatten"),
            new LayerSpec.Dense("out", 3, true)));

    private static final ModelSpec LLAMA = new ModelSpec("llama", Shape.of(6), List.of(
            new LayerSpec.Embedding("embed", 7, 8), new LayerSpec.DecoderBlock("blocks.0", true, 1e-5,
                    new LayerSpec.Attention("attn", 4, 2, 2, 1e4, true, false),
                    new LayerSpec.FeedForward("mlp", 12, Activation.SILU, true, false)),
            new LayerSpec.RmsNorm("norm", 1e-5), new LayerSpec.TiedOutput("head", "embed", 7)));

    private DjlRuntime runtime;

    @BeforeAll
    void start() {
        runtime = new DjlEngine().create(DjlOptions.defaults());
    }

    @AfterAll
    void stop() {
        runtime.close();
    }

    /** Catches a layer kind added to the spec but not to the engine's list (or the reverse). */
    @Test
    void everyLayerKindOfTheSpecIsSupported() {
        Set<Class<?>> supported = Set.copyOf(new DjlEngine().supportedLayers());
        assertThat(supported).containsExactlyInAnyOrder(LayerSpec.class.getPermittedSubclasses());
    }

    /**
     * A kind outside the supported set is refused before any work, naming the layer and its kind, even nested in a
     * residual body. Catches a refusal that only looks at the top-level layers.
     */
    @Test
    void anUnsupportedLayerIsRefusedNamingIt() {
        Set<Class<? extends LayerSpec>> dense = Set.of(LayerSpec.Dense.class, LayerSpec.Residual.class,
                LayerSpec.Conv2d.class, LayerSpec.Flatten.class, LayerSpec.BatchNorm.class,
                LayerSpec.Activate.class);
        assertThatThrownBy(() -> DjlRuntime.checkLayers(CONV, dense)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("'pool1'").hasMessageContaining("pool2d");
        Set<Class<? extends LayerSpec>> withoutConv = Set.of(LayerSpec.Dense.class, LayerSpec.Residual.class,
                LayerSpec.Flatten.class, LayerSpec.BatchNorm.class, LayerSpec.Pool2d.class);
        assertThatThrownBy(() -> DjlRuntime.checkLayers(CONV, withoutConv)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("'conv1'");
        Set<Class<? extends LayerSpec>> enough = Set.of(LayerSpec.Dense.class, LayerSpec.Residual.class,
                LayerSpec.Flatten.class, LayerSpec.BatchNorm.class, LayerSpec.Pool2d.class, LayerSpec.Activate.class,
                LayerSpec.Conv2d.class);
        DjlRuntime.checkLayers(CONV, enough);
        ModelSpec nested = new ModelSpec("nested", Shape.of(4), List.of(new LayerSpec.Residual("res",
                List.of(new LayerSpec.LayerNorm("inner-norm", 1e-5))), new LayerSpec.Dense("out", 3, true)));
        assertThatThrownBy(() -> DjlRuntime.checkLayers(nested, Set.of(LayerSpec.Dense.class,
                LayerSpec.Residual.class))).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("'inner-norm'").hasMessageContaining("layernorm");
    }

    /**
     * The tap reports every named layer's output in order, nested sub-layers under their own names, and the last
     * one is the model's output. Catches probes that would see stale or missing activations.
     */
    @Test
    void theTapSeesEveryNamedLayer() {
        Split data = tokens(3, 1);
        try (DjlNetwork network = runtime.build(GPT, WeightInitializer.initialize(GPT, 1), "cpu")) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            List<float[]> outputs = new ArrayList<>();
            try {
                PtNDArray out = network.forwardTapped(data.features(), 3, false, (name, array) -> {
                    shapes.put(name, array.getShape().getShape());
                    outputs.add(Nd.download(array));
                });
                assertThat(Nd.download(out)).containsExactly(outputs.get(outputs.size() - 1));
            } finally {
                network.releaseStep();
            }
            assertThat(shapes.keySet()).containsExactly("tok", "pos", "drop", "block1.ln1", "block1.attn",
                    "block1.ln2", "block1.fc", "block1.proj", "block1", "ln_f", "head");
            assertThat(shapes.get("block1.fc")).containsExactly(3, 6, 32);
            assertThat(shapes.get("head")).containsExactly(3, 6, 7);
            assertThat(outputs.get(outputs.size() - 1))
                    .containsExactly(network.logits(data.batch(new int[] {0, 1, 2}, 0, 3)).data());
        }
    }

    /**
     * In a decoder block the tap also reports the inputs of the attention's output projection
     * ({@code <attn>.heads}) and of the MLP's down projection ({@code <mlp>.hidden}), which the generic layer-input
     * probes read: each projected by its weight gives the sub-layer's output. Catches a reported array that is not
     * what the projection consumes (the heads in another order, the hidden activation before the gate).
     */
    @Test
    void theTapReportsTheInputsOfTheProjectionsInsideADecoderBlock() {
        Split data = tokens(3, 2);
        var weights = WeightInitializer.initialize(LLAMA, 1);
        try (DjlNetwork network = runtime.build(LLAMA, weights, "cpu")) {
            Map<String, float[]> outputs = new LinkedHashMap<>();
            try {
                network.forwardTapped(data.features(), 3, false, (name, array) -> outputs.put(name,
                        Nd.download(array)));
            } finally {
                network.releaseStep();
            }
            assertThat(outputs.keySet()).containsExactly("embed", "blocks.0.attn_norm", "blocks.0.attn.heads",
                    "blocks.0.attn", "blocks.0.mlp_norm", "blocks.0.mlp.hidden", "blocks.0.mlp", "blocks.0", "norm",
                    "head");
            int rows = 3 * 6;
            assertProjects(outputs.get("blocks.0.attn.heads"), rows, 8, weights.get("blocks.0.attn.o.weight").data(),
                    8, outputs.get("blocks.0.attn"));
            assertProjects(outputs.get("blocks.0.mlp.hidden"), rows, 12, weights.get("blocks.0.mlp.down.weight")
                    .data(), 8, outputs.get("blocks.0.mlp"));
        }
    }

    private static void assertProjects(float[] input, int rows, int in, float[] weight, int out, float[] output) {
        double[] x = new double[input.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = input[i];
        }
        double[] expected = dev.bonsai.testkit.engine.LayerReference.dense(x, rows, in, weight, null, out);
        assertThat(output).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) output[i]).as("output %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    /** Catches a sequence split paired with a classifier (or the reverse) silently training on wrong labels. */
    @Test
    void labelsPerSampleMustMatchTheOutput() {
        Split classifier = SyntheticData.random("one-label", 4, Shape.of(6), 7, 1);
        try (DjlNetwork network = runtime.build(GPT, WeightInitializer.initialize(GPT, 1), "cpu")) {
            assertThatThrownBy(() -> network.evaluate(classifier, 2)).isInstanceOf(BonsaiException.class)
                    .hasMessageContaining("6 label(s) per sample");
        }
    }

    /**
     * Catches native arrays leaked per step by the new layers (attention masks, batch-norm state, tapped arrays,
     * rotary tables and constants of a decoder).
     */
    @Test
    void theNewLayersReleaseTheirTemporaries() {
        Split images = SyntheticData.random("images", 32, Shape.of(1, 8, 8), 3, 2);
        Split text = tokens(32, 3);
        for (var pair : List.of(Map.entry(CONV, images), Map.entry(GPT, text), Map.entry(LLAMA, text))) {
            ModelSpec spec = pair.getKey();
            Split data = pair.getValue();
            try (DjlNetwork network = runtime.build(spec, WeightInitializer.initialize(spec, 1), "cpu")) {
                TrainingConfig config = new TrainingConfig(1, 8, new OptimizerSpec.Adam(1e-3, 0.9, 0.999, 1e-8, 0,
                        false), new LrSchedule.Constant(), 1.0, List.of(new LossTerm.CrossEntropy(1)));
                network.train(new TrainingPlan(data, new BatchSampler(1), 0, config, Optional.empty()),
                        TrainingListener.NONE);
                network.evaluate(data, 5);
                int live = network.liveArrays();
                for (int i = 0; i < 2; i++) {
                    network.train(new TrainingPlan(data, new BatchSampler(1), i + 1, config, Optional.empty()),
                            TrainingListener.NONE);
                    network.evaluate(data, 5);
                    network.logits(data.batch(new int[] {0, 1}, 0, 2));
                    network.capability(GradientProbe.class).orElseThrow()
                            .gradientSum(List.of(data.batch(new int[] {0, 1}, 0, 2)));
                    network.forwardTapped(data.batch(new int[] {0}, 0, 1).features().data(), 1, true, (n, a) -> { });
                    network.releaseStep();
                }
                assertThat(network.liveArrays()).as("arrays held by %s", spec.name()).isEqualTo(live);
            }
        }
    }

    private static Split tokens(int samples, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] features = new float[samples * 6];
        int[] labels = new int[samples * 6];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextInt(7);
            labels[i] = random.nextInt(7);
        }
        return new Split("tokens", Shape.of(6), features, labels, 6);
    }
}
