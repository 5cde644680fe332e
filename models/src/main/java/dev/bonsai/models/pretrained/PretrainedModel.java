package dev.bonsai.models.pretrained;

import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.api.model.Weights;
import java.util.Objects;

/**
 * A language model as a checkpoint file holds it: its configuration, its weights under Bonsai's parameter names
 * ({@link DecoderConfig}), in the half-split rotary convention, and its tokenizer.
 *
 * @param config    the hyper-parameters
 * @param weights   every parameter of {@code config.toSpec(...)}
 * @param tokenizer the tokenizer the model was trained with
 * @param format    the format it was read from, for example {@code llama2c}, {@code gguf}, {@code huggingface}
 */
public record PretrainedModel(DecoderConfig config, Weights weights, Tokenizer tokenizer, String format) {

    /** Checks that nothing is missing and that the tokenizer's vocabulary is the embedding's. */
    public PretrainedModel {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (tokenizer.vocabularySize() != config.vocab()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabularySize()
                    + " tokens but the model's embedding has " + config.vocab() + " rows");
        }
    }
}
