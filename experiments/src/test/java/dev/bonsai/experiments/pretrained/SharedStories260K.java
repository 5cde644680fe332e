package dev.bonsai.experiments.pretrained;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** stories260K's llama2.c checkpoint in {@code shared/models} above the working directory, for tests. */
public final class SharedStories260K {

    private SharedStories260K() {
    }

    /** The checkpoint, or the test is skipped with a message where the shared models are absent. */
    public static Path checkpoint() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("shared/models/stories260K/stories260K.bin");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        assumeTrue(false, "no shared/models/stories260K/stories260K.bin above " + Path.of("").toAbsolutePath()
                + ": skipping the stories260K test");
        throw new AssertionError("unreachable");
    }
}
