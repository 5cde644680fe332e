package dev.bonsai.executors.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.experiments.run.ExperimentRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a master the spark executor runs {@code local[parallel]}: task threads in the driver's JVM. */
class LocalModeTest {

    @Test
    void withoutAMasterTrialsRunAsLocalTasksAndGiveTheLocalExecutorsRecords(@TempDir Path dir) throws Exception {
        Path table = SparkTestSweeps.table(dir, 200);
        ExperimentRunner.RunSummary local = SparkTestSweeps.run(dir.resolve("local"),
                SparkTestSweeps.descriptor(table, "[0.5]", ""));
        ExperimentRunner.RunSummary spark = SparkTestSweeps.run(dir.resolve("spark"),
                SparkTestSweeps.descriptor(table, "[0.5]", "executor: {id: spark, parallel: 2}\n"));
        assertThat(spark.fresh()).hasSize(4);
        assertThat(SparkTestSweeps.placementFree(spark.records()))
                .isEqualTo(SparkTestSweeps.placementFree(local.records()));
        assertThat(spark.records()).allSatisfy(r -> assertThat(r.provenance()).containsEntry("executor", "spark")
                .containsEntry("spark.executor_id", "driver"));
    }
}
