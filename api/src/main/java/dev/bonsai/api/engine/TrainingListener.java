package dev.bonsai.api.engine;

/**
 * Progress callbacks from {@link Network#train}; all methods are optional.
 *
 * <p>{@link #stepped} runs between two optimizer steps, and may use the network being trained: read its
 * {@linkplain Network#weights() weights}, ask its {@linkplain Network#capability capabilities} (probes),
 * {@linkplain Network#evaluate evaluate} it and {@linkplain Network#applyMasks set new masks}. New masks zero the pruned weights and their optimizer state at once
 * and are enforced from the next step on; the training otherwise continues (batch order, learning-rate schedule and
 * the optimizer state of the remaining weights), which is how schedules prune during training.
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

    /** An epoch finished with this mean training loss. */
    default void epochEnded(int epoch, double meanLoss) {
    }
}
