package dev.bonsai.executors.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.experiments.executor.Placement;
import dev.bonsai.experiments.executor.Resources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** How resources become Spark settings, and Spark's assignments a placement, without starting Spark. */
class SparkExecutorTest {
    private static final SparkExecutor.Options CLUSTER = new SparkExecutor.Options(Optional.of("spark://h:7077"), 2,
            "2g", Optional.empty(), Optional.of(8), Optional.of("/opt/bonsai/lib/*"), List.of(), 60, Optional.empty());

    @Test
    void theAssignedGpuBecomesTheEnginesCudaDevice() {
        Placement p = SparkTrials.placement("cuda", Map.of("gpu", List.of("3"), "a100", List.of("x")), "7", "/w/app-1/7");
        assertThat(p.executor()).isEqualTo("spark");
        assertThat(p.device()).contains("cuda:3");
        assertThat(p.provenance()).containsEntry("spark.resource.gpu", "3").containsEntry("spark.resource.a100", "x")
                .containsEntry("spark.executor_id", "7").containsEntry("spark.work_dir", "/w/app-1/7");
        // a cpu trial that reserved a GPU keeps its device; the address is still recorded
        Placement cpu = SparkTrials.placement("cpu", Map.of("gpu", List.of("1")), "2", "/w");
        assertThat(cpu.device()).isEmpty();
        assertThat(cpu.provenance()).containsEntry("spark.resource.gpu", "1");
        assertThat(SparkTrials.placement("cuda", Map.of(), "driver", "/w").device()).isEmpty();
    }

    @Test
    void gpusAndHardwareTagsBecomeExecutorAndTaskResourceRequests() {
        SparkConf conf = SparkExecutor.conf("e", CLUSTER,
                new Resources(2, 1, List.of("a100"), Optional.empty(), Optional.empty()));
        assertThat(conf.get("spark.master")).isEqualTo("spark://h:7077");
        assertThat(conf.get("spark.task.cpus")).isEqualTo("2");
        assertThat(conf.get("spark.executor.cores")).isEqualTo("2");
        assertThat(conf.get("spark.executor.memory")).isEqualTo("2g");
        assertThat(conf.get("spark.cores.max")).isEqualTo("8");
        assertThat(conf.get("spark.executor.resource.gpu.amount")).isEqualTo("1");
        assertThat(conf.get("spark.task.resource.gpu.amount")).isEqualTo("1");
        assertThat(conf.get("spark.executor.resource.a100.amount")).isEqualTo("1");
        assertThat(conf.get("spark.task.resource.a100.amount")).isEqualTo("1");
        assertThat(conf.get("spark.executor.extraClassPath")).isEqualTo("/opt/bonsai/lib/*");
        assertThat(conf.contains("spark.jars")).isFalse();
    }

    @Test
    void localModeRunsPlainTrialsInThreadsAndRefusesResourceRequests() {
        SparkExecutor.Options local = new SparkExecutor.Options(Optional.empty(), 3, "1g", Optional.empty(),
                Optional.empty(), Optional.empty(), List.of("x.jar"), 60, Optional.empty());
        SparkConf conf = SparkExecutor.conf("e", local, Resources.DEFAULT);
        assertThat(conf.get("spark.master")).isEqualTo("local[3]");
        assertThat(conf.contains("spark.executor.extraClassPath")).isFalse();
        assertThat(conf.get("spark.jars")).endsWith("x.jar");
        assertThatThrownBy(() -> SparkExecutor.conf("e", local, Resources.DEFAULT.withAtLeastGpus(1)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("cpu=1, gpu=1")
                .hasMessageContaining("--master spark://host:7077");
        assertThat(ClusterDiagnostics.defaultUi("spark://node-1:7077")).isEqualTo("http://node-1:8080");
    }
}
