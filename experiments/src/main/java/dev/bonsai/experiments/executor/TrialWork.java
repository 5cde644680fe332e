package dev.bonsai.experiments.executor;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Everything another process needs to compute any trial of a run exactly as the driver would: the descriptor's
 * text and overrides, the external plugins, and where data comes from. Plain strings, so it serialises (Spark) and
 * writes to a file (Slurm). Paths are the driver's, absolute: workers see them on a shared file system, or hold the
 * same files at the same paths.
 *
 * @param descriptorFile the descriptor's absolute path (relative paths inside it resolve against its folder)
 * @param descriptorText the descriptor's text as the driver read it
 * @param overrides      the {@code --set} assignments applied to it
 * @param plugins        absolute paths of the external plugin jars or folders the driver loaded
 * @param dataDir        {@code --data-dir}, absolute, or empty
 * @param offline        never download
 * @param out            the run's output folder, absolute
 */
public record TrialWork(String descriptorFile, String descriptorText, List<String> overrides, List<String> plugins,
        String dataDir, boolean offline, String out) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the lists. */
    public TrialWork {
        Objects.requireNonNull(descriptorFile, "descriptorFile");
        Objects.requireNonNull(descriptorText, "descriptorText");
        overrides = List.copyOf(overrides);
        plugins = List.copyOf(plugins);
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(out, "out");
    }
}
