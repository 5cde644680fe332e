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
 * @param plugins        {@code --plugins} locations (the descriptor's own {@code plugins:} list is not repeated)
 */
public record RunOptions(Path descriptorFile, Path out, Optional<Path> dataDir, boolean offline, List<String> overrides,
        List<Path> plugins) {
    /** Copies the lists. */
    public RunOptions {
        overrides = List.copyOf(overrides);
        plugins = List.copyOf(plugins);
    }

    /** Options without {@code --plugins}. */
    public RunOptions(Path descriptorFile, Path out, Optional<Path> dataDir, boolean offline, List<String> overrides) {
        this(descriptorFile, out, dataDir, offline, overrides, List.of());
    }
}
