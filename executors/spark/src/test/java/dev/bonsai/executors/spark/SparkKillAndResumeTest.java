package dev.bonsai.executors.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.cli.BonsaiCli;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver running a sweep on Spark, killed with SIGKILL part-way: run again, the sweep finishes with every trial
 * present exactly once, the records the killed driver appended kept.
 */
class SparkKillAndResumeTest {
    private static final int TRIALS = 2 * 2 * 4;

    private static Process start(Path file, Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                BonsaiCli.class.getName(), "run", file.toString(), "--out", out.toString(), "--offline"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling("log-" + System.nanoTime() + ".txt").toFile()).start();
    }

    @Test
    void aKilledSparkDriverResumesWithEveryTrialExactlyOnce(@TempDir Path dir) throws Exception {
        Path table = SparkTestSweeps.table(dir, 2000);
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, SparkTestSweeps.descriptor(table, "[0.2, 0.4, 0.6, 0.8]",
                "executor: {id: spark, parallel: 2}\n").replace("epochs: 2, batch: 32", "epochs: 3, batch: 16"));
        Path out = dir.resolve("out");
        Path results = out.resolve("results.jsonl");

        Process first = start(file, out);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!(Files.exists(results) && Files.readAllLines(results).size() >= 1) && System.nanoTime() < deadline
                && first.isAlive()) {
            Thread.sleep(20);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, Spark's tasks die with the driver
        first.waitFor(30, TimeUnit.SECONDS);
        List<TrialRecord> before = ResultsStore.in(out).read();
        assertThat(before.size()).as("the first driver was killed part-way").isBetween(1, TRIALS - 1);

        Process second = start(file, out);
        assertThat(second.waitFor(10, TimeUnit.MINUTES)).as("the resumed run finishes").isTrue();
        assertThat(second.exitValue()).isZero();
        List<TrialRecord> records = ResultsStore.in(out).read();
        assertThat(records).hasSize(TRIALS).startsWith(before.toArray(TrialRecord[]::new));
        assertThat(records.stream().map(TrialRecord::trialId).distinct()).hasSize(TRIALS);
        assertThat(records).allSatisfy(r -> assertThat(r.provenance()).containsEntry("executor", "spark"));
    }
}
