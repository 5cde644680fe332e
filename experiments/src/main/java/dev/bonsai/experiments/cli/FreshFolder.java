package dev.bonsai.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --fresh}: the first of OUT, OUT-2, OUT-3, … that holds no results yet. */
final class FreshFolder {
    private FreshFolder() {
    }

    static Path next(Path out) {
        Path candidate = out;
        for (int i = 2; Files.exists(candidate.resolve("results.jsonl")); i++) {
            candidate = out.resolveSibling(out.getFileName() + "-" + i);
        }
        return candidate;
    }
}
