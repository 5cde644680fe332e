package dev.bonsai.models.pretrained;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pretrained models staged beside a checkout ({@code ../shared/models} of the repository, found by walking up
 * from the working directory); a test that needs one is skipped with a message where they are absent.
 */
public final class SharedModels {

    private SharedModels() {
    }

    /** The folder {@code shared/models/<name>} holding {@code file}, or the test is skipped. */
    public static Path folder(String name, String file) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("models").resolve(name);
            if (Files.isRegularFile(candidate.resolve(file))) {
                return candidate;
            }
        }
        assumeTrue(false, "no shared/models/" + name + "/" + file + " above " + Path.of("").toAbsolutePath()
                + ": skipping the test that reads the real model");
        throw new AssertionError("unreachable");
    }

    /** stories260K's llama2.c checkpoint. */
    public static Path stories260K() {
        return folder("stories260K", "stories260K.bin").resolve("stories260K.bin");
    }
}
