package dev.bonsai.api.engine;

import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one call to {@link Network#train} needs.
 *
 * @param data       the training split
 * @param sampler    the seeded batch order shared by all engines
 * @param firstEpoch the sampler epoch to start from (so fine-tuning continues the sequence instead of repeating it)
 * @param config     optimizer, epochs, batch size, loss
 * @param teacher    the teacher network for distillation loss terms, if any
 */
public record TrainingPlan(Split data, BatchSampler sampler, int firstEpoch, TrainingConfig config,
        Optional<Network> teacher) {

    /** Checks nothing is null. */
    public TrainingPlan {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(teacher, "teacher");
    }

    /** The number of optimizer steps per epoch (the last partial batch is dropped). */
    public long stepsPerEpoch() {
        return data.size() / config.batchSize();
    }
}
