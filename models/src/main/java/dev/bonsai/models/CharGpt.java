package dev.bonsai.models;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A GPT-style character language model ({@code char-gpt}), after A. Radford et al., "Language Models are
 * Unsupervised Multitask Learners" (GPT-2), 2019, at the scale of A. Karpathy's nanoGPT Shakespeare-char example.
 *
 * <p>Input: {@code [T]} token ids (as floats) from the dataset, T ≤ {@code context}; output {@code [T, vocab]}, the
 * logits of the next token at each position, vocab being the dataset's classes. Layers: {@code tok_emb (embedding
 * vocab×width) → pos_emb (positional, context×width)}, optionally {@code emb_dropout}, then {@code block1 …
 * block<layers>} (pre-norm transformer blocks with {@code heads} heads and a 4× GELU MLP), {@code ln_f} (layer norm)
 * and {@code head} (dense vocab, no bias).
 *
 * <p>Parameters: vocab·w + context·w + layers·(12w² + 13w) + 2w + w·vocab, for width w: each block has two layer
 * norms (4w), qkv (3w² + 3w), proj (w² + w), fc (4w² + 4w) and proj (4w² + w).
 */
public final class CharGpt implements ModelProvider<CharGptOptions> {

    /** Creates the provider; it is stateless. */
    public CharGpt() {
    }

    @Override
    public String id() {
        return "char-gpt";
    }

    @Override
    public String description() {
        return "GPT-style character language model: layers, heads, width, context and dropout configurable";
    }

    @Override
    public Class<CharGptOptions> optionsType() {
        return CharGptOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public ModelSpec build(CharGptOptions options, DatasetInfo data) {
        if (data.sampleShape().rank() != 1) {
            throw new IllegalArgumentException("char-gpt needs sequences of token ids [T], but dataset '" + data.id()
                    + "' has samples of shape " + data.sampleShape());
        }
        int length = data.sampleShape().dim(0);
        if (length > options.context()) {
            throw new IllegalArgumentException("char-gpt context " + options.context() + " is shorter than dataset '"
                    + data.id() + "' sequences of " + length + " tokens");
        }
        int w = options.width();
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new LayerSpec.Embedding("tok_emb", data.classes(), w));
        layers.add(new LayerSpec.PositionalEmbedding("pos_emb", options.context()));
        if (options.dropout() > 0) {
            layers.add(new LayerSpec.Dropout("emb_dropout", options.dropout()));
        }
        for (int b = 1; b <= options.layers(); b++) {
            layers.add(new LayerSpec.TransformerBlock("block" + b, options.heads(), 4, options.dropout()));
        }
        layers.add(new LayerSpec.LayerNorm("ln_f", 1e-5));
        layers.add(new LayerSpec.Dense("head", data.classes(), false));
        return new ModelSpec(id(), data.sampleShape(), layers);
    }
}
