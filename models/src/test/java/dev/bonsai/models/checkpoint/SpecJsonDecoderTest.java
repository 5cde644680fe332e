package dev.bonsai.models.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.models.pretrained.DecoderConfig;
import org.junit.jupiter.api.Test;

/** Decoder blocks hold their attention and MLP as nested layers; the JSON holds them as nested objects. */
class SpecJsonDecoderTest {

    @Test
    void decoderModelsRoundTripWithTheirNestedLayers() {
        DecoderConfig llama = new DecoderConfig("llama", 32, 16, 2, 4, 2, 4, 24, 8, 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, true, false);
        DecoderConfig gpt2 = new DecoderConfig("gpt2", 32, 16, 1, 2, 2, 8, 64, 8, 1e-5, false, 0, false,
                Activation.GELU_TANH, true, true, true, false, true);
        for (DecoderConfig c : new DecoderConfig[] {llama, gpt2}) {
            ModelSpec spec = c.toSpec(c.family(), 6);
            String json = SpecJson.write(spec);
            assertThat(json).contains("\"attention\":{\"type\":\"Attention\"")
                    .contains("\"mlp\":{\"type\":\"FeedForward\"");
            ModelSpec back = SpecJson.read(json);
            assertThat(back.layers()).isEqualTo(spec.layers());
            assertThat(SpecJson.difference(back, spec)).isEmpty();
        }
    }

    @Test
    void aNestedLayerOfTheWrongKindIsRefusedNamingWhere() {
        ModelSpec spec = new DecoderConfig("llama", 32, 16, 1, 4, 2, 4, 24, 8, 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, true, false).toSpec("m", 6);
        assertThat(spec.layers().get(1)).isInstanceOf(LayerSpec.DecoderBlock.class);
        ObjectNode root = SpecJson.toJson(spec);
        ObjectNode norm = ((ObjectNode) root.get("layers").get(1)).putObject("attention");
        norm.put("type", "RmsNorm").put("name", "blocks.0.attn").put("epsilon", 1e-5);
        assertThatThrownBy(() -> SpecJson.read(root.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layers[1].attention").hasMessageContaining("must be a Attention layer");
    }
}
