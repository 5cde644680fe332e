package dev.bonsai.executors.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.run.ExperimentRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep of 8 trials on Spark's {@code local-cluster}: two real worker processes with one executor JVM each, which
 * compute every trial from the descriptor's text. Their records equal the {@code local} executor's but for the
 * machine's provenance and the timings.
 */
class LocalClusterTest {

    @Test
    void eightTrialsOnRealExecutorProcessesGiveTheLocalExecutorsRecords(@TempDir Path dir) throws Exception {
        SparkTestSweeps.sparkHome();
        Path table = SparkTestSweeps.table(dir, 400);
        ExperimentRunner.RunSummary local = SparkTestSweeps.run(dir.resolve("local"),
                SparkTestSweeps.descriptor(table, "[0.5, 0.8]", ""));
        ExperimentRunner.RunSummary spark = SparkTestSweeps.run(dir.resolve("spark"),
                SparkTestSweeps.descriptor(table, "[0.5, 0.8]",
                        "executor: {id: spark, master: 'local-cluster[2,1,1024]', executor_memory: 512m}\n"));
        assertThat(local.fresh()).hasSize(8).allSatisfy(r -> assertThat(r.ok()).as(r.error()).isTrue());
        assertThat(spark.fresh()).hasSize(8);
        assertThat(SparkTestSweeps.placementFree(spark.records()))
                .isEqualTo(SparkTestSweeps.placementFree(local.records()));
        for (TrialRecord r : spark.records()) {
            assertThat(r.provenance()).containsEntry("executor", "spark");
            // computed in an executor JVM of a worker, not in the driver
            assertThat(r.provenance().get("spark.executor_id")).matches("\\d+");
            assertThat(r.provenance().get("spark.work_dir")).contains("app-");
        }
        assertThat(spark.records().stream().map(r -> r.provenance().get("spark.executor_id")).distinct())
                .as("both executors ran trials").hasSize(2);

        // resuming on Spark runs only what is missing: the finished trials are not repeated
        ExperimentRunner.RunSummary wider = SparkTestSweeps.run(dir.resolve("spark"),
                SparkTestSweeps.descriptor(table, "[0.5, 0.8, 0.9]",
                        "executor: {id: spark, master: 'local-cluster[2,1,1024]', executor_memory: 512m}\n"));
        assertThat(wider.fresh()).hasSize(4).allSatisfy(r -> assertThat(r.targetSparsity()).isEqualTo(0.9));
        assertThat(wider.records()).hasSize(12);
    }
}
