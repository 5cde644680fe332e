package dev.bonsai.engine.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Device selection without a GPU: in the default build ND4J's CPU backend is on the class path, so {@code cpu} is
 * available and {@code cuda} is not, with a reason that says how to get it (and that CUDA 11.6 predates Hopper); a
 * network asked for on {@code cuda} is refused with that reason before anything is built.
 */
class Dl4jDevicesTest {
    @Test
    void cpuIsAvailableAndCudaSaysWhyNot() {
        Dl4jEngine engine = new Dl4jEngine();
        assertThat(engine.availability("cpu").available()).isTrue();
        Availability cuda = engine.availability("cuda");
        assertThat(cuda.available()).isFalse();
        assertThat(cuda.reason()).contains("-Pdl4j-cuda", "nd4j-cuda-11.6", "Hopper");
    }

    @Test
    void aNetworkOnAnUnavailableDeviceIsRefusedWithTheReason() {
        ModelSpec spec = new ModelSpec("tiny", Shape.of(3), List.of(new LayerSpec.Dense("fc", 2, true)));
        try (EngineRuntime runtime = Dl4jTestRuntime.create()) {
            assertThatThrownBy(() -> runtime.build(spec, WeightInitializer.initialize(spec, 1), "cuda"))
                    .isInstanceOf(BonsaiException.class)
                    .hasMessageContaining("device 'cuda' of engine dl4j is unavailable")
                    .hasMessageContaining("-Pdl4j-cuda");
            assertThat(runtime.versions()).contains("ND4J 1.0.0-M2.1", "cpu");
        }
    }

    @Test
    void aLayerDl4jDoesNotRunIsRefusedNamingItAndWhatItRuns() {
        ModelSpec spec = new ModelSpec("attn", Shape.of(4), List.of(new LayerSpec.Embedding("tok", 5, 8),
                new LayerSpec.CausalSelfAttention("attn", 2, 0), new LayerSpec.Dense("head", 5, true)));
        try (EngineRuntime runtime = Dl4jTestRuntime.create()) {
            assertThatThrownBy(() -> runtime.build(spec, WeightInitializer.initialize(spec, 1), "cpu"))
                    .isInstanceOf(BonsaiException.class)
                    .hasMessageContaining("layer 'attn' (causalselfattention)")
                    .hasMessageContaining("it runs dense, conv2d");
        }
    }

    /**
     * Each pretrained-decoder layer kind (and one nested in a residual body) is refused by name and kind before any
     * work: with no weights at all the refusal still names the layer, so it comes before the weights are looked at.
     */
    @Test
    void pretrainedDecoderLayersAreRefusedBeforeAnyWork() {
        LayerSpec.Attention attention = new LayerSpec.Attention("attn", 2, 1, 4, 1e4, false, false);
        LayerSpec.FeedForward mlp = new LayerSpec.FeedForward("mlp", 16, Activation.SILU, true, false);
        Map<String, List<LayerSpec>> middles = new LinkedHashMap<>();
        middles.put("layer 'blocks.0' (decoderblock)",
                List.of(new LayerSpec.DecoderBlock("blocks.0", true, 1e-5, attention, mlp)));
        middles.put("layer 'attn' (attention)", List.of(attention));
        middles.put("layer 'mlp' (feedforward)", List.of(mlp));
        middles.put("layer 'norm' (rmsnorm)", List.of(new LayerSpec.RmsNorm("norm", 1e-5)));
        middles.put("layer 'inner' (rmsnorm)",
                List.of(new LayerSpec.Residual("res", List.of(new LayerSpec.RmsNorm("inner", 1e-5)))));
        try (EngineRuntime runtime = Dl4jTestRuntime.create()) {
            for (Map.Entry<String, List<LayerSpec>> e : middles.entrySet()) {
                List<LayerSpec> layers = new ArrayList<>();
                layers.add(new LayerSpec.Embedding("embed", 5, 8));
                layers.addAll(e.getValue());
                layers.add(new LayerSpec.Dense("head", 5, false));
                ModelSpec spec = new ModelSpec("decoder", Shape.of(4), layers);
                assertThatThrownBy(() -> runtime.build(spec, new Weights(Map.of()), "cpu"))
                        .as(e.getKey()).isInstanceOf(BonsaiException.class).hasMessageContaining(e.getKey())
                        .hasMessageContaining("of model 'decoder'");
            }
            ModelSpec tied = new ModelSpec("tied", Shape.of(4), List.of(new LayerSpec.Embedding("embed", 5, 8),
                    new LayerSpec.TiedOutput("head", "embed", 5)));
            assertThatThrownBy(() -> runtime.build(tied, new Weights(Map.of()), "cpu"))
                    .isInstanceOf(BonsaiException.class).hasMessageContaining("layer 'head' (tiedoutput)");
        }
    }
}
