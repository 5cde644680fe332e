package dev.bonsai.api.data;

import dev.bonsai.api.model.Shape;

/**
 * A seeded transform of training samples (data augmentation), applied on the host by every engine to each training
 * batch after gathering it from the split and before the forward pass. Evaluation, validation and the batches a
 * pruning strategy calibrates with are never augmented.
 *
 * <p>The contract that keeps engines comparable: the transformed sample depends only on the
 * sample's values, the seed, the epoch and the sample's index in its split, never on the batch size, the sample's
 * place in the batch or the engine, so one seed gives the same augmented batches everywhere.
 *
 * @see ImageJitter
 * @see dev.bonsai.api.engine.TrainingPlan#trainingBatch(int[], int, int, int)
 */
public interface Augmentation {

    /**
     * Checks that samples of {@code sampleShape} can be transformed, before any training starts.
     *
     * @throws IllegalArgumentException naming what is wrong with the shape, when they cannot
     */
    void check(Shape sampleShape);

    /**
     * Transforms a freshly gathered batch.
     *
     * @param batch     the batch, {@code [n, ...sample]}; its arrays are the caller's own copy (as
     *                  {@link Split#batch(int[], int, int)} makes) and may be changed in place
     * @param sampleIds the index in the split of each of the batch's {@code n} samples
     * @param seed      the training seed (the sampler's)
     * @param epoch     the sampler epoch
     * @return the transformed batch, of the same shape and labels ({@code batch} itself when changed in place)
     */
    Batch apply(Batch batch, int[] sampleIds, long seed, int epoch);
}
