package dev.bonsai.api.engine;

import java.util.List;

/**
 * What a call to {@link Network#train} did.
 *
 * @param epochLosses mean training loss of each epoch
 * @param steps       optimizer steps taken
 * @param seconds     wall time
 */
public record TrainingResult(List<Double> epochLosses, long steps, double seconds) {
    /** Copies the list. */
    public TrainingResult {
        epochLosses = List.copyOf(epochLosses);
    }
}
