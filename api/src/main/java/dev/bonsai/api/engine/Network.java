package dev.bonsai.api.engine;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import java.util.Optional;

/**
 * A model living on an engine's device. Not thread-safe: one trial uses it at a time.
 *
 * <p>Masks are enforced: after {@link #applyMasks} the masked weights are zero, and they and their optimizer
 * state stay exactly zero through every later training step until the masks are cleared.
 */
public interface Network extends AutoCloseable {

    /** The model it was built from. */
    ModelSpec spec();

    /** The device it lives on. */
    String device();

    /** A host copy of every parameter. */
    Weights weights();

    /** Replaces parameters by name (a subset is allowed); masked positions are zeroed again. */
    void loadWeights(Weights weights);

    /**
     * Sets the masks to enforce, replacing any earlier ones, and zeroes the masked weights now. During
     * {@link #train} (from {@link TrainingListener#stepped}) it also zeroes the optimizer state of the masked
     * elements, and the masks hold from the next step on.
     */
    void applyMasks(MaskSet masks);

    /** The masks in force; empty when none. */
    MaskSet masks();

    /** Stops enforcing masks; weights keep their current values. */
    void clearMasks();

    /**
     * Trains in place. Each call starts fresh optimizer state (momentum, Adam moments) and runs the learning-rate
     * schedule over this call's steps, as a new optimizer would; the batch order continues from
     * {@link TrainingPlan#firstEpoch()}. Listener steps and epochs are numbered from 0 within the call.
     *
     * @param plan     what to train on and how
     * @param listener progress callbacks
     * @return the per-epoch losses and timing
     */
    TrainingResult train(TrainingPlan plan, TrainingListener listener);

    /** Loss and accuracy on {@code data} in evaluation mode. */
    Evaluation evaluate(Split data, int batchSize);

    /** The logits for {@code batch} in evaluation mode, {@code [batch, ...output]}. */
    Tensor logits(Batch batch);

    /** A capability this engine provides natively, if it does. */
    <C extends Capability> Optional<C> capability(Class<C> type);

    @Override
    void close();
}
