package dev.bonsai.executors.spark;

import dev.bonsai.experiments.executor.TrialWork;
import java.io.Serializable;
import java.util.Objects;

/**
 * One trial as a Spark task: what the executor JVM needs to compute it.
 *
 * @param work    how to compute any trial of the run
 * @param trialId the trial
 * @param device  the descriptor's engine device; {@code cuda} becomes {@code cuda:ADDRESS} of the assigned GPU
 */
record TrialTask(TrialWork work, String trialId, String device) implements Serializable {
    private static final long serialVersionUID = 1L;

    TrialTask {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(trialId, "trialId");
        Objects.requireNonNull(device, "device");
    }
}
