package dev.bonsai.api.model;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.data.DatasetInfo;

/**
 * Builds a {@link ModelSpec} by name, for example {@code lenet-300-100} or {@code mlp}. The model takes its input
 * shape and number of outputs from the dataset it will be trained on.
 *
 * @param <O> the options record
 */
public interface ModelProvider<O extends Record> extends Plugin<O> {

    /** The model for {@code data}, with the given options. */
    ModelSpec build(O options, DatasetInfo data);
}
