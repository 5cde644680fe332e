package dev.bonsai.experiments.run;

import dev.bonsai.experiments.executor.PlannedTrial;
import dev.bonsai.experiments.executor.RecordSink;
import dev.bonsai.experiments.executor.Sweep;
import dev.bonsai.experiments.executor.TrialClaims;
import dev.bonsai.experiments.executor.TrialExecutor;
import dev.bonsai.experiments.plugins.PluginRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Hands a run's unfinished trials to its executor in rounds, so that runs sharing an output folder compute each
 * trial once: first all of them (the executor skips those another run has claimed); then, while another run holds
 * some, it waits for their claims to be released and hands over again each trial released without a record (the
 * run holding it ended before finishing it). It returns when every trial has a record or is queued elsewhere,
 * whichever run computed it, so the reports written afterwards cover the whole sweep.
 */
final class SweepRounds {
    private static final Logger LOG = LogManager.getLogger(SweepRounds.class);
    private static final long POLL_MILLIS = 250;
    private static final long REMIND_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final PluginRef executor;
    private final TrialClaims claims;
    private final Function<List<PlannedTrial>, Sweep> sweeps;
    private final RecordSink sink;

    /**
     * Rounds of one run.
     *
     * @param executor the descriptor's executor
     * @param claims   the claims on the output folder, the same as those of every sweep {@code sweeps} makes
     * @param sweeps   the sweep of some of the trials, to hand to the executor
     * @param sink     where the records computed in this JVM go
     */
    SweepRounds(PluginRef executor, TrialClaims claims, Function<List<PlannedTrial>, Sweep> sweeps, RecordSink sink) {
        this.executor = executor;
        this.claims = claims;
        this.sweeps = sweeps;
        this.sink = sink;
    }

    /** Runs {@code trials} and waits for those another run is computing; the outcome of all rounds together. */
    TrialExecutor.Outcome run(List<PlannedTrial> trials) throws IOException, InterruptedException {
        Map<String, PlannedTrial> byId = new LinkedHashMap<>();
        trials.forEach(t -> byId.put(t.id(), t));
        Map<String, PlannedTrial> waiting = new LinkedHashMap<>();
        int completed = 0;
        int pending = 0;
        int lost = 0;
        List<PlannedTrial> next = trials;
        while (true) {
            if (!next.isEmpty()) {
                TrialExecutor.Outcome round = PluginCalls.execute(executor, sweeps.apply(next), sink);
                completed += round.completed();
                pending += round.pending();
                lost += round.lost();
                for (String id : claims.takeHeldElsewhere()) {
                    waiting.put(id, byId.get(id));
                }
            }
            if (waiting.isEmpty()) {
                return new TrialExecutor.Outcome(completed, pending, lost);
            }
            next = released(waiting);
        }
    }

    /**
     * Waits until the claim of at least one trial of {@code waiting} is released and returns those released
     * without a record (taking every released one out of {@code waiting}); empty when all were recorded and none is
     * left to wait for.
     */
    private List<PlannedTrial> released(Map<String, PlannedTrial> waiting) throws IOException, InterruptedException {
        long reminded = System.nanoTime();
        logWaiting(waiting);
        while (!waiting.isEmpty()) {
            List<PlannedTrial> free = new ArrayList<>();
            for (PlannedTrial trial : waiting.values()) {
                if (claims.isFree(trial.id())) {
                    free.add(trial);
                }
            }
            free.forEach(t -> waiting.remove(t.id()));
            List<PlannedTrial> unrecorded = new ArrayList<>();
            for (PlannedTrial trial : free) {
                if (!claims.recordedSincePlanning(trial.id())) {
                    unrecorded.add(trial);
                }
            }
            if (!unrecorded.isEmpty()) {
                LOG.info("{} trial(s) were released by another run without a record (it ended first); running "
                        + "them here", unrecorded.size());
                return unrecorded;
            }
            if (free.isEmpty()) {
                if (System.nanoTime() - reminded > REMIND_NANOS) {
                    reminded = System.nanoTime();
                    logWaiting(waiting);
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
        return List.of();
    }

    private void logWaiting(Map<String, PlannedTrial> waiting) {
        Set<String> holders = new LinkedHashSet<>();
        waiting.keySet().forEach(id -> {
            String holder = claims.holder(id);
            holders.add(holder.isEmpty() ? "holder unknown" : holder);
        });
        LOG.info("waiting for {} trial(s) another run on this output folder is computing ({}): {}", waiting.size(),
                String.join("; ", holders), String.join(", ", waiting.keySet()));
    }
}
