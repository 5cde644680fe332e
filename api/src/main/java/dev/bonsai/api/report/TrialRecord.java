package dev.bonsai.api.report;

import java.util.Map;
import java.util.Objects;

/**
 * One trial's self-describing result. Written as one JSON line with snake_case field names
 * ({@code target_sparsity}, {@code nonzero_parameters}…), which scripts rely on: keep them stable.
 *
 * @param experiment        the experiment's name
 * @param trialId           a hash of everything that determines the trial
 * @param status            {@code ok} or {@code failed}
 * @param error             the failure's message; null when ok
 * @param model             the model id
 * @param dataset           the dataset id
 * @param strategy          the pruning strategy id
 * @param scope             {@code layerwise} or {@code global}
 * @param structure         the structure's label
 * @param schedule          the schedule id
 * @param targetSparsity    the requested sparsity of the prunable weights
 * @param achievedSparsity  the measured sparsity of the prunable weights after fine-tuning
 * @param totalParameters   all trainable parameter elements
 * @param nonzeroParameters trainable parameter elements that are not zero after fine-tuning
 * @param seed              the seed
 * @param engine            the engine id
 * @param device            the device
 * @param metrics           named metrics: {@code dense_test_accuracy}, {@code pruned_test_accuracy},
 *                          {@code test_accuracy} and the matching {@code *_loss}
 * @param timings           seconds per phase: {@code load}, {@code train}, {@code prune}, {@code finetune},
 *                          {@code evaluate}, {@code total}
 * @param provenance        where the result came from: descriptor hash, versions, JVM, OS, CPU, dataset SHA-256,
 *                          git revision
 */
public record TrialRecord(String experiment, String trialId, String status, String error, String model,
        String dataset, String strategy, String scope, String structure, String schedule, double targetSparsity,
        double achievedSparsity, long totalParameters, long nonzeroParameters, long seed, String engine,
        String device, Map<String, Double> metrics, Map<String, Double> timings, Map<String, String> provenance) {

    /** A successful trial. */
    public static final String OK = "ok";
    /** A failed trial. */
    public static final String FAILED = "failed";

    /** Copies the maps and checks the required fields. */
    public TrialRecord {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(trialId, "trialId");
        Objects.requireNonNull(status, "status");
        metrics = Map.copyOf(metrics);
        timings = Map.copyOf(timings);
        provenance = Map.copyOf(provenance);
    }

    /** A metric, or NaN when absent. */
    public double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }

    /** Whether the trial succeeded. */
    public boolean ok() {
        return OK.equals(status);
    }
}
