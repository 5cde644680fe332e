package dev.bonsai.experiments.executor.slurm;

import dev.bonsai.experiments.executor.TrialWork;
import java.nio.file.Path;

/** Reads the work file a Slurm submission leaves in {@code OUT/slurm/work.json}. */
public final class SlurmWork {
    private SlurmWork() {
    }

    /**
     * The work of {@code file}.
     *
     * @throws dev.bonsai.api.BonsaiException when it cannot be read
     */
    public static TrialWork read(Path file) {
        return Submissions.readWork(file);
    }
}
