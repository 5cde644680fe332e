package dev.bonsai.models.pretrained;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The hyper-parameters of a decoder-only language model, as checkpoint formats state them, and the
 * {@link ModelSpec} they make. Layers: {@code embed} ({@link LayerSpec.Embedding}), {@code pos} (learned positions,
 * GPT-2 only), {@code blocks.<i>} ({@link LayerSpec.DecoderBlock}), {@code norm}, and {@code head}
 * ({@link LayerSpec.Dense} without bias, or {@link LayerSpec.TiedOutput} when the embeddings are tied). Parameter
 * names follow from these, for example {@code blocks.0.attn.q.weight}, {@code blocks.0.mlp.gate.weight}.
 *
 * @param family           the architecture family, for example {@code llama}, {@code qwen2}, {@code gpt2}
 * @param vocab            the vocabulary size
 * @param width            the model width D
 * @param layers           the number of blocks
 * @param heads            query heads per block
 * @param kvHeads          key/value heads per block
 * @param headDim          the width of one head
 * @param hidden           the MLP's hidden width
 * @param context          the longest sequence the model was trained for
 * @param normEpsilon      the norms' ε
 * @param rmsNorm          RMSNorm (LLaMA) or LayerNorm (GPT-2)
 * @param ropeTheta        the rotary base, or 0 for learned positions
 * @param gated            a gated (SwiGLU) MLP
 * @param activation       the MLP's activation
 * @param qkvBias          biases on the query, key and value projections (Qwen2, GPT-2)
 * @param outputBias       a bias on the attention output projection (GPT-2)
 * @param mlpBias          biases on the MLP projections (GPT-2)
 * @param tiedEmbeddings   whether the output head is the token embedding
 * @param learnedPositions whether a learned positional embedding is added (GPT-2)
 */
public record DecoderConfig(String family, int vocab, int width, int layers, int heads, int kvHeads, int headDim,
                            int hidden, int context, double normEpsilon, boolean rmsNorm, double ropeTheta,
                            boolean gated, Activation activation, boolean qkvBias, boolean outputBias,
                            boolean mlpBias, boolean tiedEmbeddings, boolean learnedPositions) {

    /** Checks the sizes. */
    public DecoderConfig {
        if (vocab <= 0 || width <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || hidden <= 0
                || context <= 0) {
            throw new IllegalArgumentException("model sizes must be positive: " + this);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " attention heads are not a multiple of " + kvHeads
                    + " key/value heads");
        }
    }

    /** The spec, reading sequences of {@code length} tokens (at most {@link #context()}). */
    public ModelSpec toSpec(String name, int length) {
        if (length <= 0 || length > context) {
            throw new IllegalArgumentException("a sequence length of " + length + " is outside 1.." + context
                    + ", the context of " + name);
        }
        List<LayerSpec> list = new ArrayList<>();
        list.add(new LayerSpec.Embedding("embed", vocab, width));
        if (learnedPositions) {
            list.add(new LayerSpec.PositionalEmbedding("pos", context));
        }
        for (int i = 0; i < layers; i++) {
            list.add(block("blocks." + i));
        }
        list.add(rmsNorm ? new LayerSpec.RmsNorm("norm", normEpsilon) : new LayerSpec.LayerNorm("norm", normEpsilon));
        list.add(tiedEmbeddings ? new LayerSpec.TiedOutput("head", "embed", vocab)
                : new LayerSpec.Dense("head", vocab, false));
        return new ModelSpec(name, Shape.of(length), list);
    }

    private LayerSpec.DecoderBlock block(String name) {
        return new LayerSpec.DecoderBlock(name, rmsNorm, normEpsilon,
                new LayerSpec.Attention(name + ".attn", heads, kvHeads, headDim, ropeTheta, qkvBias, outputBias),
                new LayerSpec.FeedForward(name + ".mlp", hidden, activation, gated, mlpBias));
    }

    /**
     * The configuration of a spec {@link #toSpec} made, or of one whose blocks were then pruned uniformly.
     *
     * @param family  the family to record
     * @param context the context to record
     * @throws IllegalArgumentException naming the first layer that does not fit the pattern, or the block whose
     *                                  widths differ from the first block's (a format with one width per model
     *                                  cannot hold it)
     */
    public static DecoderConfig of(ModelSpec spec, String family, int context) {
        List<LayerSpec> list = spec.layers();
        int at = 0;
        if (!(list.get(at++) instanceof LayerSpec.Embedding embed)) {
            throw new IllegalArgumentException("model '" + spec.name() + "' does not start with a token embedding");
        }
        boolean positions = list.get(at) instanceof LayerSpec.PositionalEmbedding;
        if (positions) {
            at++;
        }
        LayerSpec.DecoderBlock first = null;
        int blocks = 0;
        while (at < list.size() && list.get(at) instanceof LayerSpec.DecoderBlock block) {
            if (first == null) {
                first = block;
            } else if (!block.attention().equals(renamed(first.attention(), block.attention().name()))
                    || !block.mlp().equals(renamed(first.mlp(), block.mlp().name()))
                    || block.rmsNorm() != first.rmsNorm() || block.normEpsilon() != first.normEpsilon()) {
                throw new IllegalArgumentException("block '" + block.name() + "' of model '" + spec.name()
                        + "' differs from '" + first.name() + "' (" + block.attention().heads() + " heads, "
                        + block.attention().kvHeads() + " key/value heads, MLP " + block.mlp().hidden() + " vs "
                        + first.attention().heads() + ", " + first.attention().kvHeads() + ", " + first.mlp().hidden()
                        + "): this format holds one width for all blocks");
            }
            blocks++;
            at++;
        }
        if (first == null || at + 2 != list.size()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' is not embedding, decoder blocks, norm,"
                    + " head");
        }
        LayerSpec head = list.get(at + 1);
        boolean tied = head instanceof LayerSpec.TiedOutput;
        if (!tied && !(head instanceof LayerSpec.Dense dense && !dense.bias())) {
            throw new IllegalArgumentException("layer '" + head.name() + "' of model '" + spec.name()
                    + "' is not an output head (a dense layer without bias, or tied to the embedding)");
        }
        LayerSpec.Attention a = first.attention();
        LayerSpec.FeedForward m = first.mlp();
        return new DecoderConfig(family, embed.vocab(), embed.dim(), blocks, a.heads(), a.kvHeads(), a.headDim(),
                m.hidden(), context, first.normEpsilon(), first.rmsNorm(), a.ropeTheta(), m.gated(), m.activation(),
                a.qkvBias(), a.outputBias(), m.bias(), tied, positions);
    }

    private static LayerSpec.Attention renamed(LayerSpec.Attention a, String name) {
        return new LayerSpec.Attention(name, a.heads(), a.kvHeads(), a.headDim(), a.ropeTheta(), a.qkvBias(),
                a.outputBias());
    }

    private static LayerSpec.FeedForward renamed(LayerSpec.FeedForward m, String name) {
        return new LayerSpec.FeedForward(name, m.hidden(), m.activation(), m.gated(), m.bias());
    }
}
