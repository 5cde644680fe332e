package dev.bonsai.datasets.text;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.Optional;

/**
 * The options of the {@code tinystories} dataset.
 *
 * @param context            tokens per window; the model's context when absent
 * @param calibrationStride  how many tokens apart the calibration windows start
 */
@Doc("Options of the TinyStories perplexity dataset, tokenised by the pretrained model's tokenizer.")
public record TinyStoriesOptions(
        @Doc("Tokens per window (ctx): each window is scored on its own from position 0 with ctx-1 predictions. "
                + "Defaults to the model's context; at most the model's context.")
        @Range(min = 2, max = 1_000_000)
        Optional<Integer> context,
        @Doc("How many tokens apart the calibration (training) windows start; 1 makes every whole window of the "
                + "calibration stream a sample, so a seeded draw of calibration windows can start anywhere.")
        @DefaultValue("1") @Range(min = 1)
        int calibrationStride) {

    /** The defaults: the model's context, a calibration window at every token. */
    public static TinyStoriesOptions defaults() {
        return new TinyStoriesOptions(Optional.empty(), 1);
    }
}
