package dev.bonsai.executors.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.run.ExperimentRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone master and two workers on loopback, one advertising two (fake) GPUs through a discovery script:
 * GPU trials land only there, with the assigned address in their records; a request no worker can satisfy, and
 * executors that cannot start, fail with a clear error within the timeout instead of waiting forever.
 */
class StandaloneClusterTest {
    @TempDir
    static Path dir;
    private static StandaloneCluster cluster;
    private static Path gpuWork;
    private static Path table;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new StandaloneCluster(dir);
        gpuWork = cluster.worker("gpu-worker", 2, 2);
        cluster.worker("cpu-worker", 1, 0);
        cluster.awaitWorkers(2, 120);
        table = SparkTestSweeps.table(dir, 300);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String executor(String extra) {
        return "executor: {id: spark, master: '" + cluster.master() + "', master_ui: '" + cluster.masterUi()
                + "', executor_memory: 512m" + extra + "}\n";
    }

    @Test
    void gpuTrialsLandOnlyOnTheWorkerWithGpusWithTheAssignedAddressRecorded() throws Exception {
        ExperimentRunner.RunSummary summary = SparkTestSweeps.run(dir.resolve("gpu"), SparkTestSweeps.descriptor(table,
                "[0.5]", executor("") + "resources: {gpu: 1}\n"));
        assertThat(summary.fresh()).hasSize(4);
        for (TrialRecord r : summary.fresh()) {
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.provenance().get("spark.work_dir")).startsWith(gpuWork.toString());
            assertThat(r.provenance().get("spark.resource.gpu")).isIn("0", "1");
        }
    }

    @Test
    void aRequestNoWorkerCanSatisfyFailsWithinTheTimeoutNamingWhatTheWorkersHave() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> SparkTestSweeps.run(dir.resolve("tpu"), SparkTestSweeps.descriptor(table, "[0.5]",
                executor(", resource_timeout: 15") + "resources: {hardware: [tpu]}\n")))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("no Spark executor started within 15 s")
                .hasMessageContaining("hardware=[tpu]")
                .hasMessageContaining("spark.task.resource.tpu.amount=1")
                .hasMessageContaining("resources gpu [0, 1]");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(90);
    }

    @Test
    void executorsThatCannotStartSurfaceTheirError() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> SparkTestSweeps.run(dir.resolve("crash"), SparkTestSweeps.descriptor(table, "[0.5]",
                executor(", resource_timeout: 600, classpath: '" + dir.resolve("no-such-folder") + "/*'"))))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("Spark executors exited before any trial finished")
                .hasMessageContaining("Command exited with code 1")
                .hasMessageContaining("stderr of executor")
                .hasMessageContaining("Could not find or load main class");
        assertThat((System.nanoTime() - t0) / 1e9).as("fails before the resource timeout").isLessThan(120);
    }
}
