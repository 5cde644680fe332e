package dev.bonsai.experiments.executor;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Computes trials in a process other than the driver (a Spark executor, a Slurm array task) from a
 * {@link TrialWork}. One {@link TrialWorker} per work is kept for the life of the JVM, so the trials of one seed that
 * land in the same process train the seed's dense model once, as a local run does.
 */
public final class RemoteTrials {
    private static final Logger LOG = LogManager.getLogger(RemoteTrials.class);
    private static final Map<TrialWork, TrialWorker> WORKERS = new ConcurrentHashMap<>();

    private RemoteTrials() {
    }

    /**
     * Runs trial {@code trialId} of {@code work} here and returns its record.
     *
     * @throws dev.bonsai.api.BonsaiException when the descriptor does not read here (a plugin or data set missing on
     *                                        this machine), or names no such trial
     */
    public static TrialRecord run(TrialWork work, String trialId, Placement placement) {
        TrialWorker worker = WORKERS.computeIfAbsent(work, w -> {
            LOG.info("composing the experiment of {} in this process", w.descriptorFile());
            return Bonsai.worker(w);
        });
        return worker.run(trialId, placement);
    }

    /** Closes every worker of this JVM (their engines). */
    public static void closeAll() {
        WORKERS.values().forEach(TrialWorker::close);
        WORKERS.clear();
    }
}
