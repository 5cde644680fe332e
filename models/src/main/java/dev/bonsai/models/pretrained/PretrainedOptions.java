package dev.bonsai.models.pretrained;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the {@link PretrainedProvider} model.
 *
 * @param path    the checkpoint: a file or folder, as its format stores models
 * @param format  a {@link ModelFormat} id, or {@code auto} to detect it from the path
 * @param context the longest window the model reads, at most the model's own; 0 for the model's
 */
@Doc("A pretrained language model read from a checkpoint (llama2.c .bin, GGUF, Hugging Face folder), with its "
        + "weights and tokenizer.")
public record PretrainedOptions(
        @Doc("The checkpoint: a file or folder, absolute or relative to the working directory.")
        String path,

        @Doc("The checkpoint's format id (llama2c, gguf, huggingface), or auto to detect it from the path.")
        @DefaultValue("auto")
        String format,

        @Doc("The longest window the model reads, at most the model's trained context; 0: the model's.")
        @DefaultValue("0")
        @Range(min = 0)
        int context) {

    /**
     * Checks the values.
     *
     * @param path    not blank
     * @param format  not blank
     * @param context at least 0
     */
    public PretrainedOptions {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("pretrained needs 'path', the checkpoint file or folder");
        }
        if (format == null || format.isBlank()) {
            format = "auto";
        }
        if (context < 0) {
            throw new IllegalArgumentException("pretrained context must be ≥ 0 (0: the model's), got " + context);
        }
    }
}
