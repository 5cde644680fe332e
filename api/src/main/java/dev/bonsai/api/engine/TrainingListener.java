package dev.bonsai.api.engine;

import java.util.function.DoubleSupplier;

/**
 * Progress callbacks from {@link Network#train}; all methods are optional.
 *
 * <p>{@link #stepped} runs between two optimizer steps, and may use the network being trained: read its
 * {@linkplain Network#weights() weights}, ask its {@linkplain Network#capability capabilities} (probes),
 * {@linkplain Network#evaluate evaluate} it and {@linkplain Network#applyMasks set new masks}. New masks zero the
 * pruned weights and their optimizer state at once and are enforced from the next step on; the training otherwise
 * continues (batch order, learning-rate schedule and the optimizer state of the remaining weights), which is how
 * schedules prune during training.
 */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** Training starts; {@code totalSteps} optimizer steps will follow. */
    default void started(long totalSteps) {
    }

    /** Optimizer step {@code step} (0-based within the call) finished; the class comment says what may be done here. */
    default void stepped(long step) {
    }

    /**
     * One optimizer step finished, with the epoch's running loss on demand. Engines call this one; by default it
     * calls {@link #stepped(long)}. Asking the supplier may wait for the device (it reads the loss summed there), so
     * a listener asks only when it reports, not at every step; the supplier is valid during this call only.
     *
     * @param step        the step, numbered from 0 within the training call
     * @param runningLoss the mean training loss of the current epoch's steps so far, this one included
     */
    default void stepped(long step, DoubleSupplier runningLoss) {
        stepped(step);
    }

    /** An epoch finished with this mean training loss. */
    default void epochEnded(int epoch, double meanLoss) {
    }
}
