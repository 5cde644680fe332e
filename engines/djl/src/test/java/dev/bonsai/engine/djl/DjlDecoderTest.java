package dev.bonsai.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.IncrementalDecoding;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Key/value-cached decoding against the full forward pass: at every position, the logits from the cache (primed
 * with several tokens at once, then one token at a time, and again after a reset) equal those of
 * {@link Network#logits} on the same tokens within 1e-4, for fused multi-head attention and for grouped-query
 * attention with rotary positions (where a key rotated to the wrong position, or a query's offset ignored, shows).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlDecoderTest {
    private static final int T = 10;
    private static final int VOCAB = 13;
    private static final int STREAMS = 3;

    private DjlRuntime runtime;

    @BeforeAll
    void load() {
        runtime = new DjlEngine().create(DjlOptions.defaults());
    }

    @AfterAll
    void close() {
        runtime.close();
    }

    /** A small GPT: embeddings, two transformer blocks (with dropout, off in evaluation), final norm and head. */
    private static ModelSpec gpt() {
        return new ModelSpec("gpt", Shape.of(T), List.of(new LayerSpec.Embedding("tok", VOCAB, 16),
                new LayerSpec.PositionalEmbedding("pos", T + 4), new LayerSpec.TransformerBlock("b0", 4, 2, 0.1),
                new LayerSpec.TransformerBlock("b1", 4, 2, 0.1), new LayerSpec.LayerNorm("ln_f", 1e-5),
                new LayerSpec.Dense("head", VOCAB, true)));
    }

    /** Attention on its own and nested in a residual connection, with a per-position MLP. */
    private static ModelSpec residual() {
        return new ModelSpec("res", Shape.of(T), List.of(new LayerSpec.Embedding("tok", VOCAB, 8),
                new LayerSpec.PositionalEmbedding("pos", T), new LayerSpec.Residual("r", List.of(
                        new LayerSpec.LayerNorm("ln", 1e-5), new LayerSpec.CausalSelfAttention("attn", 2, 0))),
                new LayerSpec.Dense("fc", 12, true), new LayerSpec.Activate("act", Activation.TANH),
                new LayerSpec.Dropout("drop", 0.2), new LayerSpec.Dense("head", VOCAB, true)));
    }

    /**
     * A LLaMA-style decoder: grouped-query attention (4 query heads on 2 key/value heads) with rotary positions
     * (a small θ, so that every position turns every pair visibly), a gated SiLU MLP, RMS norms, a tied output.
     */
    private static ModelSpec llama() {
        List<LayerSpec> layers = new java.util.ArrayList<>();
        layers.add(new LayerSpec.Embedding("embed", VOCAB, 16));
        for (int i = 0; i < 2; i++) {
            layers.add(new LayerSpec.DecoderBlock("blocks." + i, true, 1e-5,
                    new LayerSpec.Attention("attn", 4, 2, 4, 7.0, i == 1, false),
                    new LayerSpec.FeedForward("mlp", 24, Activation.SILU, true, false)));
        }
        layers.add(new LayerSpec.RmsNorm("norm", 1e-5));
        layers.add(new LayerSpec.TiedOutput("head", "embed", VOCAB));
        return new ModelSpec("llama", Shape.of(T), layers);
    }

    /** A GPT-2-style decoder: learned positions, layer norms, biases, a plain tanh-GELU MLP, a dense head. */
    private static ModelSpec gpt2() {
        return new ModelSpec("gpt2", Shape.of(T), List.of(new LayerSpec.Embedding("embed", VOCAB, 8),
                new LayerSpec.PositionalEmbedding("pos", T), new LayerSpec.DecoderBlock("blocks.0", false, 1e-5,
                        new LayerSpec.Attention("attn", 2, 2, 4, 0, true, true),
                        new LayerSpec.FeedForward("mlp", 32, Activation.GELU_TANH, false, true)),
                new LayerSpec.LayerNorm("norm", 1e-5), new LayerSpec.Dense("head", VOCAB, false)));
    }

    @Test
    void cachedLogitsEqualTheFullForwardAtEveryPosition() {
        for (ModelSpec spec : List.of(gpt(), residual(), llama(), gpt2())) {
            SplittableRandom random = new SplittableRandom(5);
            int[] tokens = new int[STREAMS * T];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = random.nextInt(VOCAB);
            }
            try (Network net = runtime.build(spec, WeightInitializer.initialize(spec, 3), "cpu");
                    IncrementalDecoding.Decoder decoder = net.capability(IncrementalDecoding.class).orElseThrow()
                            .open(STREAMS)) {
                float[] full = fullLogits(net, tokens);
                assertThat(decoder.capacity()).isEqualTo(T);
                for (int round = 0; round < 2; round++) {
                    int primed = round == 0 ? 4 : 1;
                    Tensor first = decoder.append(columns(tokens, 0, primed));
                    assertClose(first, full, primed - 1, spec.name() + " primed with " + primed);
                    for (int p = primed; p < T; p++) {
                        assertThat(decoder.position()).isEqualTo(p);
                        assertClose(decoder.append(columns(tokens, p, p + 1)), full, p, spec.name() + " position " + p);
                    }
                    assertThatThrownBy(() -> decoder.append(columns(tokens, 0, 1)))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reset");
                    decoder.reset();
                    assertThat(decoder.position()).isZero();
                }
            }
        }
    }

    @Test
    void badTokensAndModelsWithoutCausalLayersAreRefused() {
        ModelSpec spec = gpt();
        try (Network net = runtime.build(spec, WeightInitializer.initialize(spec, 3), "cpu");
                IncrementalDecoding.Decoder decoder = net.capability(IncrementalDecoding.class).orElseThrow()
                        .open(2)) {
            assertThatThrownBy(() -> decoder.append(new int[] {1, 2, 3})).hasMessageContaining("2 streams");
            assertThatThrownBy(() -> decoder.append(new int[] {1, VOCAB})).hasMessageContaining("vocabulary");
        }
        ModelSpec classifier = new ModelSpec("mlp", Shape.of(6), List.of(new LayerSpec.Dense("fc", 3, true)));
        try (Network net = runtime.build(classifier, WeightInitializer.initialize(classifier, 1), "cpu")) {
            assertThat(net.capability(IncrementalDecoding.class)).isEmpty();
        }
    }

    /** {@code [streams, T, vocab]} logits of the whole windows. */
    private static float[] fullLogits(Network net, int[] tokens) {
        float[] x = new float[tokens.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = tokens[i];
        }
        return net.logits(new Batch(new Tensor(Shape.of(STREAMS, T), x), new int[STREAMS * T])).data();
    }

    /** Positions {@code [from, to)} of every stream, stream after stream. */
    private static int[] columns(int[] tokens, int from, int to) {
        int k = to - from;
        int[] out = new int[STREAMS * k];
        for (int s = 0; s < STREAMS; s++) {
            System.arraycopy(tokens, s * T + from, out, s * k, k);
        }
        return out;
    }

    private static void assertClose(Tensor cached, float[] full, int position, String what) {
        assertThat(cached.shape()).isEqualTo(Shape.of(STREAMS, VOCAB));
        for (int s = 0; s < STREAMS; s++) {
            float[] expected = Arrays.copyOfRange(full, (s * T + position) * VOCAB, (s * T + position + 1) * VOCAB);
            for (int v = 0; v < VOCAB; v++) {
                float actual = cached.data()[s * VOCAB + v];
                if (!(Math.abs(actual - expected[v]) <= 1e-4)) {
                    throw new AssertionError(what + ", stream " + s + ", token " + v + ": cached " + actual
                            + ", full " + expected[v]);
                }
            }
        }
    }
}
