package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FLOPs of the pretrained decoder layers against counts worked out by hand for 5 positions of width 8: two per
 * multiply-accumulate of each projection, {@code 2·2·T²·heads·headDim} for the attention products.
 */
class FlopCounterTest {
    private static final int T = 5;

    /**
     * Attention of 4 query heads on 2 key/value heads of width 2: q 2·5·8·8 = 640, k and v 2·5·8·4 = 320 each,
     * products 4·25·8 = 800, o 640; gated MLP of width 12: 3 · 2·5·8·12 = 2880; tied output to 10 tokens
     * 2·5·8·10 = 800. Halving the query and embedding weights' density halves their shares (320 and 400).
     */
    @Test
    void aLlamaStyleDecoderCountsItsProjectionsProductsAndTiedOutput() {
        ModelSpec spec = new ModelSpec("llama", Shape.of(T), List.of(new LayerSpec.Embedding("embed", 10, 8),
                new LayerSpec.DecoderBlock("blocks.0", true, 1e-5, new LayerSpec.Attention("attn", 4, 2, 2, 1e4,
                        false, false), new LayerSpec.FeedForward("mlp", 12, Activation.SILU, true, false)),
                new LayerSpec.RmsNorm("norm", 1e-5), new LayerSpec.TiedOutput("head", "embed", 10)));
        assertThat(FlopCounter.forward(spec, name -> 1)).isEqualTo(640 + 320 + 320 + 800 + 640 + 2880 + 800);
        assertThat(FlopCounter.forward(spec, name -> name.equals("blocks.0.attn.q.weight")
                || name.equals("embed.weight") ? 0.5 : 1)).isEqualTo(6400 - 320 - 400);
    }

    /**
     * Two heads of width 4 (q, k, v, o 640 each, products 800), a plain MLP of width 12 (2 · 960), a dense head to
     * 10 tokens (800); the positional embedding and the norms count nothing.
     */
    @Test
    void aGpt2StyleDecoderCountsAPlainMlpAndADenseHead() {
        ModelSpec spec = new ModelSpec("gpt2", Shape.of(T), List.of(new LayerSpec.Embedding("embed", 10, 8),
                new LayerSpec.PositionalEmbedding("pos", T), new LayerSpec.DecoderBlock("blocks.0", false, 1e-5,
                        new LayerSpec.Attention("attn", 2, 2, 4, 0, true, true),
                        new LayerSpec.FeedForward("mlp", 12, Activation.GELU_TANH, false, true)),
                new LayerSpec.LayerNorm("norm", 1e-5), new LayerSpec.Dense("head", 10, false)));
        assertThat(FlopCounter.forward(spec, name -> 1)).isEqualTo(4 * 640 + 800 + 2 * 960 + 800);
        assertThat(FlopCounter.forward(spec, name -> name.equals("blocks.0.mlp.down.weight") ? 0.25 : 1))
                .isEqualTo(4 * 640 + 800 + 960 + 240 + 800);
    }
}
