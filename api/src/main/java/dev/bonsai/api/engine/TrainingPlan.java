package dev.bonsai.api.engine;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import java.util.Arrays;
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

    /**
     * Checks nothing is null, and that the configuration's augmentation, if any, can transform the data's samples.
     *
     * @throws IllegalArgumentException when the augmentation cannot transform samples of the data's shape
     */
    public TrainingPlan {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(teacher, "teacher");
        config.augmentation().ifPresent(a -> {
            try {
                a.check(data.sampleShape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot augment split '" + data.name() + "': " + e.getMessage(), e);
            }
        });
    }

    /** The number of optimizer steps per epoch (the last partial batch is dropped). */
    public long stepsPerEpoch() {
        return data.size() / config.batchSize();
    }

    /**
     * The training batch of samples {@code order[from..to)} in host memory, transformed by the configuration's
     * augmentation when it has one (drawn from the sampler's seed, {@code epoch} and each sample's index), as every
     * engine must train on it. An engine that gathers batches elsewhere (on a device) may do so only when
     * {@code config().augmentation()} is empty.
     *
     * @param order the epoch's order, {@code sampler().order(data().size(), epoch)}
     * @param from  the batch's first position in {@code order}
     * @param to    one past its last
     * @param epoch the sampler epoch of {@code order}
     */
    public Batch trainingBatch(int[] order, int from, int to, int epoch) {
        Batch batch = data.batch(order, from, to);
        if (config.augmentation().isEmpty()) {
            return batch;
        }
        return config.augmentation().get().apply(batch, Arrays.copyOfRange(order, from, to), sampler.seed(), epoch);
    }
}
