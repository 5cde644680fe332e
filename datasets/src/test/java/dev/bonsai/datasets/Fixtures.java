package dev.bonsai.datasets;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bonsai.api.data.DataFile;
import dev.bonsai.datasets.files.DataFileResolver;
import dev.bonsai.datasets.files.DataLocations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Shared helpers for provider tests: generated files and offline resolvers. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A resolver that looks only in {@code folder} (as the descriptor's dataset path), offline. */
    public static DataFileResolver folder(Path folder, Path cache) {
        return new DataFileResolver(new DataLocations(Optional.of(folder), Optional.empty(), Optional.empty(), cache,
                true));
    }

    /** A resolver over a data root laid out as {@code root/<dataset>/<file>}, offline. */
    public static DataFileResolver root(Path root, Path cache) {
        return new DataFileResolver(new DataLocations(Optional.empty(), Optional.empty(), Optional.of(root), cache,
                true));
    }

    /** Writes {@code content} to {@code folder/name} and returns a DataFile that declares it. */
    public static DataFile write(Path folder, String name, byte[] content) throws IOException {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return new DataFile(name, DataFileResolver.sha256(file), content.length, List.of());
    }

    /**
     * The real data root from {@code BONSAI_DATA_DIR}, skipping the test with a message when it is not set or lacks
     * {@code required} (relative to the root).
     */
    public static Path realData(String what, String required) {
        String dir = System.getenv(DataLocations.DATA_DIR_VARIABLE);
        assumeTrue(dir != null && !dir.isBlank(), "BONSAI_DATA_DIR is not set: skipping the real-" + what
                + " test (set it to a folder holding " + required + ")");
        Path root = Path.of(dir);
        assumeTrue(Files.isRegularFile(root.resolve(required)), "BONSAI_DATA_DIR=" + dir + " has no " + required
                + ": skipping the real-" + what + " test");
        return root;
    }
}
