package dev.bonsai.executors.spark;

import dev.bonsai.experiments.executor.Placement;
import dev.bonsai.experiments.executor.RemoteTrials;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.reports.store.ResultsStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/** The executor side: computes one trial inside a Spark task and returns its record as a JSON line. */
final class SparkTrials {
    /** The executor id under which records name this executor. */
    static final String EXECUTOR = "spark";

    private SparkTrials() {
    }

    /** Runs the task's trial with the resources Spark assigned to the task. */
    static String run(TrialTask task) {
        TaskContext context = TaskContext.get();
        Map<String, List<String>> assigned = new TreeMap<>();
        if (context != null) {
            for (Map.Entry<String, ResourceInformation> e : context.resourcesJMap().entrySet()) {
                assigned.put(e.getKey(), List.of(e.getValue().addresses()));
            }
        }
        SparkEnv env = SparkEnv.get();
        String executorId = env == null ? "unknown" : env.executorId();
        Placement placement = placement(task.device(), assigned, executorId, System.getProperty("user.dir"));
        return ResultsStore.toJson(RemoteTrials.run(task.work(), task.trialId(), placement));
    }

    /**
     * Where a task runs: a {@code cuda} device becomes the first GPU Spark assigned ({@code cuda:ADDRESS}); the
     * assigned resources, the executor and its working folder go to the provenance.
     */
    static Placement placement(String device, Map<String, List<String>> assigned, String executorId, String workDir) {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("spark.executor_id", executorId);
        provenance.put("spark.work_dir", workDir);
        assigned.forEach((name, addresses) -> provenance.put("spark.resource." + name, String.join(",", addresses)));
        Optional<String> gpu = Optional.ofNullable(assigned.get("gpu")).filter(a -> !a.isEmpty()).map(a -> a.get(0));
        Optional<String> placed = PluginRegistry.deviceKind(device).equals("cuda") ? gpu.map(a -> "cuda:" + a)
                : Optional.empty();
        return new Placement(EXECUTOR, placed, provenance);
    }
}
