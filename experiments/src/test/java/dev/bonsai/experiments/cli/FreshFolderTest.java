package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshFolderTest {

    @Test
    void picksTheFirstFolderWithoutResultsAndNeverAnOldOne(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("runs/x");
        assertThat(FreshFolder.next(out)).isEqualTo(out);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.jsonl"), "{}\n");
        assertThat(FreshFolder.next(out)).isEqualTo(dir.resolve("runs/x-2"));
        Files.createDirectories(dir.resolve("runs/x-2"));
        Files.writeString(dir.resolve("runs/x-2/results.jsonl"), "{}\n");
        assertThat(FreshFolder.next(out)).isEqualTo(dir.resolve("runs/x-3"));
        assertThat(Files.readString(out.resolve("results.jsonl"))).isEqualTo("{}\n");
    }
}
