package dev.bonsai.models;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the {@link CharGpt} model.
 *
 * @param layers  the number of transformer blocks
 * @param heads   attention heads per block; must divide {@code width}
 * @param width   the embedding width
 * @param context the longest sequence (the positional table's length); at least the dataset's sequence length
 * @param dropout dropout on the embeddings, attention weights and residual branches
 */
@Doc("A GPT-style character language model: embeddings, pre-norm transformer blocks, a final layer norm, a dense head.")
public record CharGptOptions(
        @Doc("Number of transformer blocks.")
        @DefaultValue("4")
        @Range(min = 1)
        int layers,

        @Doc("Attention heads per block; must divide width.")
        @DefaultValue("4")
        @Range(min = 1)
        int heads,

        @Doc("Embedding width.")
        @DefaultValue("128")
        @Range(min = 1)
        int width,

        @Doc("Longest sequence the positional embedding covers; at least the dataset's sequence length.")
        @DefaultValue("64")
        @Range(min = 1)
        int context,

        @Doc("Dropout rate on embeddings, attention weights and residual branches.")
        @DefaultValue("0")
        @Range(min = 0, max = 1, maxExclusive = true)
        double dropout) {

    /**
     * Checks the values.
     *
     * @param layers  at least 1
     * @param heads   at least 1, dividing width
     * @param width   at least 1
     * @param context at least 1
     * @param dropout in [0, 1)
     */
    public CharGptOptions {
        if (layers < 1 || heads < 1 || width < 1 || context < 1) {
            throw new IllegalArgumentException("char-gpt layers, heads, width and context must each be ≥ 1, got "
                    + layers + ", " + heads + ", " + width + ", " + context);
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("char-gpt heads (" + heads + ") must divide width (" + width + ")");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("char-gpt dropout must be in [0, 1), got " + dropout);
        }
    }

    /**
     * The defaults, nanoGPT's "baby GPT" for Shakespeare characters without its dropout.
     *
     * @return {@code layers: 4}, {@code heads: 4}, {@code width: 128}, {@code context: 64}, {@code dropout: 0}
     */
    public static CharGptOptions defaults() {
        return new CharGptOptions(4, 4, 128, 64, 0);
    }
}
