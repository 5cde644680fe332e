package dev.bonsai.experiments.cli;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.executor.Placement;
import dev.bonsai.experiments.executor.RemoteTrials;
import dev.bonsai.experiments.executor.TrialWork;
import dev.bonsai.experiments.executor.slurm.SlurmWork;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bonsai trial}: computes one trial of a run from its work file and appends the record to the run's results
 * file. What a Slurm array task runs; not usually typed by hand.
 */
@Command(name = "trial", mixinStandardHelpOptions = true,
        description = "Run one trial of a submitted sweep and append its record (what Slurm array tasks run).")
final class TrialCommand implements Callable<Integer> {
    @Option(names = "--work", required = true, paramLabel = "FILE",
            description = "The run's work file (OUT/slurm/work.json), written by bonsai run.")
    Path work;

    @Option(names = "--trial", required = true, paramLabel = "ID", description = "The trial's id.")
    String trial;

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "The engine device instead of the descriptor's, e.g. cuda:0 for the GPU Slurm granted.")
    String device;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrialWork w = SlurmWork.read(work);
        Map<String, String> provenance = new LinkedHashMap<>();
        env("SLURM_ARRAY_JOB_ID", "slurm.job_id", provenance);
        env("SLURM_ARRAY_TASK_ID", "slurm.array_task_id", provenance);
        env("SLURMD_NODENAME", "slurm.node", provenance);
        env("SLURM_JOB_PARTITION", "slurm.partition", provenance);
        env("CUDA_VISIBLE_DEVICES", "slurm.gpus", provenance);
        String executor = System.getenv("SLURM_JOB_ID") != null ? "slurm" : "process";
        TrialRecord record = RemoteTrials.run(w, trial, new Placement(executor, Optional.ofNullable(device),
                provenance));
        ResultsStore.in(Path.of(w.out())).append(record);
        RemoteTrials.closeAll();
        spec.commandLine().getOut().printf("trial %s: %s%s%n", trial, record.status(),
                record.ok() ? "" : " (" + record.error() + ")");
        spec.commandLine().getOut().flush();
        return record.ok() ? 0 : 1;
    }

    private static void env(String name, String key, Map<String, String> provenance) {
        String value = System.getenv(name);
        if (value != null && !value.isBlank()) {
            provenance.put(key, value);
        }
    }
}
