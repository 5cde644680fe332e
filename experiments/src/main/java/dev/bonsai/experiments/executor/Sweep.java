package dev.bonsai.experiments.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The unfinished trials of one run, handed to an executor.
 *
 * @param experiment the experiment's name
 * @param out        the run's output folder, where {@code results.jsonl} lies
 * @param trials     the trials to run, in the sweep's order
 * @param work       how another process computes any of them ({@link RemoteTrials})
 * @param here       a worker that computes them in this JVM
 * @param claims     the claims on the output folder's trials: an executor computes a trial only once this run has
 *                   claimed it, so that another run on the same folder does not compute it too
 */
public record Sweep(String experiment, Path out, List<PlannedTrial> trials, TrialWork work, TrialWorker here,
        TrialClaims claims) {
    /** Copies the list. */
    public Sweep {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(out, "out");
        trials = List.copyOf(trials);
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(here, "here");
        Objects.requireNonNull(claims, "claims");
    }
}
