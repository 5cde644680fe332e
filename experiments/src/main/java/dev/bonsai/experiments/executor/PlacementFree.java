package dev.bonsai.experiments.executor;

import dev.bonsai.api.report.TrialRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * The part of a record that must not depend on where its trial ran: everything but the machine's provenance, the
 * timings, and the metrics that are measured speeds ({@code *_per_s}, such as inference throughput). Two executors
 * running the same sweep produce equal placement-free records.
 */
public final class PlacementFree {
    /** The suffix of metrics that measure speed on the machine that ran the trial. */
    public static final String SPEED_SUFFIX = "_per_s";

    private PlacementFree() {
    }

    /** {@code record} without provenance, timings and speed metrics. */
    public static TrialRecord of(TrialRecord record) {
        Map<String, Double> metrics = new TreeMap<>(record.metrics());
        metrics.keySet().removeIf(k -> k.endsWith(SPEED_SUFFIX));
        return new TrialRecord(record.experiment(), record.trialId(), record.status(), record.error(), record.model(),
                record.dataset(), record.strategy(), record.scope(), record.structure(), record.schedule(),
                record.targetSparsity(), record.achievedSparsity(), record.totalParameters(),
                record.nonzeroParameters(), record.seed(), record.engine(), record.device(), metrics, Map.of(), Map.of());
    }
}
