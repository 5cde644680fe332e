package dev.bonsai.experiments.executor.local;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import dev.bonsai.experiments.executor.PlannedTrial;
import dev.bonsai.experiments.executor.Placement;
import dev.bonsai.experiments.executor.RecordSink;
import dev.bonsai.experiments.executor.Sweep;
import dev.bonsai.experiments.executor.TrialClaims;
import dev.bonsai.experiments.executor.TrialExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs the trials in this JVM: one at a time in the sweep's order, or up to {@code parallel} at once. Each trial is
 * claimed as it starts (skipped when another run on the output folder holds it or has recorded it), and its record is
 * appended as it finishes, so a run killed half-way resumes where it stopped.
 */
public final class LocalExecutor implements TrialExecutor<LocalExecutor.Options> {
    private static final Logger LOG = LogManager.getLogger(LocalExecutor.class);

    /**
     * Options of the {@code local} executor.
     *
     * @param parallel trials run at once
     */
    @Doc("Options of the local executor.")
    public record Options(
            @Doc("Trials run at once in this JVM; 1 runs them one after another in the sweep's order. Trials share "
                    + "the engine's threads, so more than the number of cores rarely helps.")
            @DefaultValue("1") @Range(min = 1, max = 256) int parallel) {
    }

    @Override
    public String id() {
        return "local";
    }

    @Override
    public String description() {
        return "Trials in this JVM, one at a time or in a bounded pool (the default)";
    }

    @Override
    public Class<Options> optionsType() {
        return Options.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Outcome execute(Sweep sweep, Options options, RecordSink sink) throws IOException, InterruptedException {
        Placement placement = Placement.here(id());
        if (options.parallel() == 1) {
            int completed = 0;
            for (PlannedTrial trial : sweep.trials()) {
                if (runClaimed(sweep, trial, placement, sink)) {
                    completed++;
                }
            }
            return new Outcome(completed, 0);
        }
        return inPool(sweep, options.parallel(), placement, sink);
    }

    /**
     * Claims {@code trial}, runs it and appends its record before releasing the claim; false, running nothing,
     * when the claim is refused (another run holds the trial or has recorded it).
     */
    private static boolean runClaimed(Sweep sweep, PlannedTrial trial, Placement placement, RecordSink sink)
            throws IOException {
        Optional<TrialClaims.Claim> claim = sweep.claims().claim(trial.id());
        if (claim.isEmpty()) {
            return false;
        }
        try (TrialClaims.Claim held = claim.get()) {
            LOG.info("{}: started (trial {})", trial.label(), held.trialId());
            sink.accept(sweep.here().run(trial.id(), placement));
            return true;
        }
    }

    private Outcome inPool(Sweep sweep, int parallel, Placement placement, RecordSink sink)
            throws IOException, InterruptedException {
        LOG.info("running {} trials, {} at a time", sweep.trials().size(), parallel);
        AtomicInteger thread = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, sweep.trials().size()), r -> {
            Thread t = new Thread(r, "bonsai-trial-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (PlannedTrial trial : sweep.trials()) {
                futures.add(pool.submit(() -> {
                    try {
                        return runClaimed(sweep, trial, placement, sink);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            int completed = 0;
            for (Future<Boolean> f : futures) {
                try {
                    if (f.get()) {
                        completed++;
                    }
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof UncheckedIOException io) {
                        throw io.getCause();
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new BonsaiException("a trial thread failed: " + cause, cause);
                }
            }
            return new Outcome(completed, 0);
        } finally {
            pool.shutdownNow();
        }
    }
}
