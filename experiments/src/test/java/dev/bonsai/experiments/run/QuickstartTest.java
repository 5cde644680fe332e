package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart on real MNIST, reduced to one training and one fine-tuning epoch (the documented
 * override). Skipped when {@code BONSAI_DATA_DIR} does not hold MNIST.
 */
class QuickstartTest {

    @Test
    void theReducedQuickstartWritesRecordsAndReportsThatAgree(@TempDir Path out) throws Exception {
        String dataDir = System.getenv("BONSAI_DATA_DIR");
        Assumptions.assumeTrue(dataDir != null && Files.isDirectory(Path.of(dataDir, "mnist")),
                "BONSAI_DATA_DIR is unset or has no mnist/ folder: skipping the real-data quickstart");
        Path file = Path.of("..", "examples", "quickstart.yaml");
        List<String> reduced = List.of("train.epochs=1", "prune.finetune.epochs=1");
        Bonsai bonsai = Bonsai.create();
        ExperimentDescriptor descriptor = bonsai.read(file, reduced);
        ExperimentRunner.RunSummary summary = bonsai.run(descriptor,
                new RunOptions(file, out, Optional.empty(), true, reduced), new LogProgress());

        assertThat(summary.failed()).isZero();
        List<TrialRecord> records = ResultsStore.in(out).read();
        assertThat(records).extracting(TrialRecord::strategy).containsExactly("magnitude", "random");
        TrialRecord magnitude = records.get(0);
        assertThat(magnitude.metric("dense_test_accuracy")).isGreaterThan(0.93);
        assertThat(magnitude.achievedSparsity()).isBetween(0.8999, 0.9001);
        assertThat(magnitude.metric("test_accuracy")).isGreaterThan(0.9);
        assertThat(magnitude.provenance().get("dataset_sha256")).contains(
                "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609");

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(3);
        List<String> header = List.of(csv.get(0).split(","));
        int accuracyColumn = header.indexOf("metric.test_accuracy");
        assertThat(accuracyColumn).isNotNegative();
        for (int i = 0; i < records.size(); i++) {
            String[] row = csv.get(i + 1).split(",");
            assertThat(Double.parseDouble(row[accuracyColumn])).isEqualTo(records.get(i).metric("test_accuracy"));
        }
        String report = Files.readString(out.resolve("report.md"));
        for (TrialRecord r : records) {
            assertThat(report).contains(String.format(Locale.ROOT, "%.2f", 100 * r.metric("test_accuracy")));
        }
    }
}
