package dev.bonsai.datasets.text;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.Optional;

/**
 * The options of the {@code wikitext-2-raw} dataset.
 *
 * @param context           tokens per window (the papers' seqlen); the model's context when absent
 * @param calibrationStride how many tokens apart the calibration windows start
 */
@Doc("Options of the WikiText-2 (raw) perplexity dataset, tokenised by the pretrained model's tokenizer as the "
        + "GPTQ/SparseGPT evaluation does.")
public record WikiText2RawOptions(
        @Doc("Tokens per window (seqlen): each window is scored on its own from position 0 with seqlen-1 "
                + "predictions. Defaults to the model's context, as the papers use; at most the model's context.")
        @Range(min = 2, max = 1_000_000)
        Optional<Integer> context,
        @Doc("How many tokens apart the calibration (training) windows start; 1 makes every whole window a sample.")
        @DefaultValue("1") @Range(min = 1)
        int calibrationStride) {

    /** The defaults: the model's context, a calibration window at every token. */
    public static WikiText2RawOptions defaults() {
        return new WikiText2RawOptions(Optional.empty(), 1);
    }
}
