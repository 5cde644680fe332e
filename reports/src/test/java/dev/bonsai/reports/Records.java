package dev.bonsai.reports;

import dev.bonsai.api.report.TrialRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds trial records for tests. */
public final class Records {
    private Records() {
    }

    /** A successful trial with the usual fields filled in. */
    public static TrialRecord ok(String trialId, String strategy, double target, long seed,
            Map<String, Double> metrics) {
        return new TrialRecord("exp", trialId, TrialRecord.OK, null, "lenet-300-100", "mnist", strategy, "global",
                "unstructured", "one-shot", target, target + 0.0001, 266_610, Math.round(266_610 * (1 - target)),
                seed, "djl", "cpu", metrics, Map.of("total", 1.5, "train", 1.0),
                Map.of("dataset_sha256", "abc123", "bonsai_version", "0.1.0", "git_revision", "deadbeef"));
    }

    /** A failed trial. */
    public static TrialRecord failed(String trialId, String strategy, double target, long seed, String error,
            Map<String, Double> metrics) {
        return new TrialRecord("exp", trialId, TrialRecord.FAILED, error, "lenet-300-100", "mnist", strategy,
                "global", "unstructured", "one-shot", target, Double.NaN, 266_610, 266_610, seed, "djl", "cpu",
                metrics, Map.of(), Map.of());
    }

    /** Accuracy metrics. */
    public static Map<String, Double> accuracies(double dense, double pruned, double finetuned) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("dense_test_accuracy", dense);
        m.put("pruned_test_accuracy", pruned);
        m.put("test_accuracy", finetuned);
        return m;
    }

    /** A copy of {@code r} with another scope. */
    public static TrialRecord withScope(TrialRecord r, String scope) {
        return new TrialRecord(r.experiment(), r.trialId(), r.status(), r.error(), r.model(), r.dataset(),
                r.strategy(), scope, r.structure(), r.schedule(), r.targetSparsity(), r.achievedSparsity(),
                r.totalParameters(), r.nonzeroParameters(), r.seed(), r.engine(), r.device(), r.metrics(),
                r.timings(), r.provenance());
    }

    /** A copy of {@code r} run on another engine, with its own dense training time and inference throughput. */
    public static TrialRecord onEngine(TrialRecord r, String engine, double trainSeconds, double inference) {
        Map<String, Double> metrics = new java.util.HashMap<>(r.metrics());
        metrics.put("dense_inference_samples_per_s", inference);
        return new TrialRecord(r.experiment(), r.trialId() + "-" + engine, r.status(), r.error(), r.model(),
                r.dataset(), r.strategy(), r.scope(), r.structure(), r.schedule(), r.targetSparsity(),
                r.achievedSparsity(), r.totalParameters(), r.nonzeroParameters(), r.seed(), engine, r.device(), metrics,
                Map.of("total", trainSeconds + 0.5, "train", trainSeconds), r.provenance());
    }

    /**
     * A copy of {@code r} whose student was trained with {@code recipe}; with a teacher (non-null hash) that has
     * {@code teacherErrors} test errors of 10 000, and the student {@code errors}.
     */
    public static TrialRecord distilled(TrialRecord r, String recipe, String teacherHash, double teacherErrors,
            double errors) {
        Map<String, Double> metrics = new java.util.HashMap<>(r.metrics());
        metrics.put("test_errors", errors);
        Map<String, String> provenance = new java.util.HashMap<>(r.provenance());
        provenance.put("recipe", recipe);
        if (teacherHash != null) {
            metrics.put("teacher_test_errors", teacherErrors);
            metrics.put("teacher_test_accuracy", 1 - teacherErrors / 10_000);
            metrics.put("teacher_parameters", 2_395_210.0);
            provenance.put("teacher_hash", teacherHash);
            provenance.put("teacher_model", "{\"hidden\":[1200,1200],\"id\":\"mlp\"}");
            provenance.put("teacher_seed", "1");
        }
        return new TrialRecord(r.experiment(), r.trialId() + "-" + recipe, r.status(), r.error(), r.model(),
                r.dataset(), r.strategy(), r.scope(), r.structure(), r.schedule(), r.targetSparsity(),
                r.achievedSparsity(), r.totalParameters(), r.nonzeroParameters(), r.seed(), r.engine(), r.device(),
                metrics, r.timings(), provenance);
    }
}
