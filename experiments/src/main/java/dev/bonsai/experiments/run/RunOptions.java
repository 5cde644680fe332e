package dev.bonsai.experiments.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How one {@code bonsai run} was asked to run.
 *
 * @param descriptorFile the descriptor
 * @param out            the output folder
 * @param dataDir        {@code --data-dir}, if given
 * @param offline        never touch the network
 * @param overrides      {@code --set} assignments, already applied to the descriptor
 */
public record RunOptions(Path descriptorFile, Path out, Optional<Path> dataDir, boolean offline, List<String> overrides) {
    /** Copies the list. */
    public RunOptions {
        overrides = List.copyOf(overrides);
    }
}
