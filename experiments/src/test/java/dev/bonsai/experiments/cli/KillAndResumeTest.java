package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed with SIGKILL part-way resumes where it stopped: run again, it finishes with every trial present
 * exactly once. Catches records written before a trial finishes, torn lines, and resumes that repeat trials.
 */
class KillAndResumeTest {
    private static final String DESCRIPTOR = """
            name: killed
            seeds: [1, 2, 3]
            engine: {id: djl, device: cpu, threads: 1}
            dataset: {id: synthetic, train: 2048}
            model: {id: mlp, hidden: [64]}
            train: {epochs: 2, batch: 32}
            prune: {strategies: [magnitude, random], sparsities: [0.2, 0.4, 0.6, 0.8], finetune: {epochs: 2}}
            report: [csv]
            """;
    private static final int TRIALS = 3 * 2 * 4;

    private static Process start(Path file, Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                BonsaiCli.class.getName(), "run", file.toString(), "--out", out.toString(), "--offline"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling("log-" + System.nanoTime() + ".txt").toFile()).start();
    }

    @Test
    void aKilledSweepResumesWithEveryTrialExactlyOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("killed.yaml");
        Files.writeString(file, DESCRIPTOR);
        Path out = dir.resolve("out");
        Path results = out.resolve("results.jsonl");

        Process first = start(file, out);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!(Files.exists(results) && Files.readAllLines(results).size() >= 1) && System.nanoTime() < deadline
                && first.isAlive()) {
            Thread.sleep(20);
        }
        first.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no flushing
        first.waitFor(30, TimeUnit.SECONDS);
        int before = ResultsStore.in(out).read().size();
        assertThat(before).as("the first run was killed part-way").isBetween(1, TRIALS - 1);

        Process second = start(file, out);
        assertThat(second.waitFor(10, TimeUnit.MINUTES)).as("the resumed run finishes").isTrue();
        assertThat(second.exitValue()).isZero();

        List<TrialRecord> records = ResultsStore.in(out).read();
        assertThat(records).hasSize(TRIALS);
        assertThat(records.stream().map(TrialRecord::trialId).distinct()).hasSize(TRIALS);
        assertThat(records).allSatisfy(r -> assertThat(r.ok()).isTrue());
    }
}
