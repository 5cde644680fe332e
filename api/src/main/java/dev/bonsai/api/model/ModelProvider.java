package dev.bonsai.api.model;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.DatasetInfo;
import java.util.Optional;

/**
 * Builds a {@link ModelSpec} by name, for example {@code lenet-300-100} or {@code mlp}. The model takes its input
 * shape and number of outputs from the dataset it will be trained on.
 *
 * @param <O> the options record
 */
public interface ModelProvider<O extends Record> extends Plugin<O> {

    /** The model for {@code data}, with the given options. */
    ModelSpec build(O options, DatasetInfo data);

    /**
     * The weights, tokenizer and context of a pretrained model. When present, the host tokenises text datasets
     * with this tokenizer (their windows no longer than this context) before calling {@link #build}, and takes these
     * weights, which must match the spec {@code build} makes, as the dense model instead of training one.
     *
     * @param options the options
     * @return the model's parts; empty (the default) for a model trained from scratch
     */
    default Optional<PretrainedParts> pretrained(O options) {
        return Optional.empty();
    }
}
