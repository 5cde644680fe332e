package dev.bonsai.api.engine;

/** Progress callbacks from {@link Network#train}; all methods are optional. */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** Training starts; {@code totalSteps} optimizer steps will follow. */
    default void started(long totalSteps) {
    }

    /** One optimizer step finished. */
    default void stepped(long step) {
    }

    /** An epoch finished with this mean training loss. */
    default void epochEnded(int epoch, double meanLoss) {
    }
}
