package dev.bonsai.experiments.executor;

import dev.bonsai.api.Plugin;
import java.io.IOException;

/**
 * Runs the trials of a sweep somewhere: in this JVM, on a Spark cluster, as Slurm job arrays. Found with
 * {@link java.util.ServiceLoader} like every plugin; the descriptor's {@code executor:} section (or
 * {@code bonsai run --executor ID}) picks one and binds its options.
 *
 * <p>An executor must deliver every trial's record, successful or failed, exactly once per run: either to
 * {@code sink} (from this JVM) or by having the process that ran the trial append it to the run's results file
 * itself ({@link Sweep#out()}). A trial's record must not depend on where it ran, except for its machine provenance
 * and timings; {@link TrialWork} and {@link RemoteTrials} give a remote process everything to compute it.
 *
 * <p>Another run may share the output folder. An executor computes only trials this run has claimed through
 * {@link Sweep#claims()} ({@link TrialClaims#claim} as it starts each, or {@link TrialClaims#claimAll} for those it
 * submits), holds each claim until the trial's record is appended, and skips trials whose claim is refused: the
 * run waits for those and hands back any that end without a record.
 *
 * @param <O> the options record
 */
public interface TrialExecutor<O extends Record> extends Plugin<O> {

    /**
     * Whether the engine device named in the descriptor must be usable on this machine. Executors that run trials
     * elsewhere return false, so a driver without a GPU can send GPU trials to workers that have one.
     */
    default boolean runsTrialsHere() {
        return true;
    }

    /**
     * Runs {@code sweep}'s trials and returns when every one has a record (or, for executors that leave the trials
     * queued elsewhere, when every one is submitted; they say so in their description).
     *
     * @param sweep   the unfinished trials, what they need, and how to run them here or elsewhere
     * @param options the bound options
     * @param sink    where records computed or received in this JVM go; it appends them to the run's store
     * @return what happened to the trials handed over
     * @throws IOException          when records cannot be written
     * @throws InterruptedException when interrupted while waiting for trials
     * @throws dev.bonsai.api.BonsaiException when the trials cannot be run at all (a cluster that cannot be
     *                              reached, a resource request no worker can satisfy): the message says why
     */
    Outcome execute(Sweep sweep, O options, RecordSink sink) throws IOException, InterruptedException;

    /**
     * What an executor did with the trials it was given.
     *
     * @param completed trials whose record was written during this call
     * @param pending   trials handed to a scheduler that has not finished them yet (0 for executors that wait)
     * @param lost      trials whose process ended without writing a record (killed at a time limit, cancelled)
     */
    record Outcome(int completed, int pending, int lost) {
        /** Nothing lost. */
        public Outcome(int completed, int pending) {
            this(completed, pending, 0);
        }
    }
}
