package dev.bonsai.experiments.executor;

import dev.bonsai.api.report.TrialRecord;

/**
 * Runs trials of one experiment in this JVM, sharing what trials of the same seed share (the loaded data, the
 * engine, the seed's trained dense model). Thread-safe: a pool may run several trials at once.
 */
public interface TrialWorker extends AutoCloseable {

    /**
     * Runs the trial and returns its record; a trial that fails returns a failed record.
     *
     * @throws dev.bonsai.api.BonsaiException when no trial of the sweep has {@code trialId} (the worker's descriptor
     *                                        or Bonsai differs from the driver's), or when what every trial needs
     *                                        (data, model, engine) cannot be had
     */
    TrialRecord run(String trialId, Placement placement);

    /** Releases the engine. */
    @Override
    void close();
}
