package dev.bonsai.datasets.text;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.Optional;

/**
 * The options of the {@code wikitext-2} dataset.
 *
 * @param variant which release: the tokenised one ({@code wiki.*.tokens}, rare words as {@code <unk>}) or the raw one
 * @param context the number of words in one sample
 * @param stride  how many words apart samples start; the context when absent
 */
@Doc("Options of the WikiText-2 word-level language-modelling dataset.")
public record WikiTextOptions(
        @Doc("tokens: the tokenised release (wikitext-2/wiki.*.tokens, rare words replaced by <unk>); raw: the raw "
                + "release (wikitext-2-raw/wiki.*.raw).")
        @DefaultValue("tokens")
        Variant variant,
        @Doc("Words per sample (the model's context length T); each position is labelled with the next word.")
        @DefaultValue("64") @Range(min = 1, max = 1_000_000)
        int context,
        @Doc("How many words apart consecutive samples start; defaults to the context (samples do not overlap).")
        @Range(min = 1)
        Optional<Integer> stride) {

    /** The defaults: tokenised, context 64, non-overlapping samples. */
    public static WikiTextOptions defaults() {
        return new WikiTextOptions(Variant.TOKENS, 64, Optional.empty());
    }

    /** The stride in effect. */
    public int effectiveStride() {
        return stride.orElse(context);
    }

    /** The release of WikiText-2. */
    public enum Variant {
        /** {@code wikitext-2-v1}: tokenised, with {@code <unk>}. */
        TOKENS,
        /** {@code wikitext-2-raw-v1}: the raw text. */
        RAW
    }
}
