package dev.bonsai.datasets.text;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.Optional;

/**
 * The options of the {@code tinyshakespeare} dataset.
 *
 * @param context the number of characters in one sample
 * @param stride  how many characters apart samples start; the context when absent (non-overlapping samples)
 */
@Doc("Options of the Tiny Shakespeare character-level language-modelling dataset.")
public record TinyShakespeareOptions(
        @Doc("Characters per sample (the model's context length T); each of the T positions is labelled with the "
                + "next character.")
        @DefaultValue("64") @Range(min = 1, max = 1_000_000)
        int context,
        @Doc("How many characters apart consecutive samples start; defaults to the context (samples do not overlap).")
        @Range(min = 1)
        Optional<Integer> stride) {

    /** The defaults: context 64, non-overlapping samples. */
    public static TinyShakespeareOptions defaults() {
        return new TinyShakespeareOptions(64, Optional.empty());
    }

    /** The stride in effect. */
    public int effectiveStride() {
        return stride.orElse(context);
    }
}
