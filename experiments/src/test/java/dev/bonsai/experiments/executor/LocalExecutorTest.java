package dev.bonsai.experiments.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.DescriptorException;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.run.ExperimentRunner;
import dev.bonsai.experiments.run.LogProgress;
import dev.bonsai.experiments.run.RunOptions;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor seam with the {@code local} executor: a pool gives the records one thread gives. */
class LocalExecutorTest {
    private static final Bonsai BONSAI = Bonsai.create();

    private static final String DESCRIPTOR = """
            name: executor-sweep
            seeds: [1, 2]
            engine: {id: djl, device: cpu}
            dataset: {id: synthetic}
            model: {id: mlp, hidden: [16]}
            train: {optimizer: {id: sgd, lr: 0.1}, epochs: 2, batch: 32}
            prune:
              strategies: [magnitude, random]
              sparsities: [0.5, 0.8]
              finetune: {epochs: 1}
            """;

    private static ExperimentRunner.RunSummary run(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, yaml);
        return runWritten(file);
    }

    /** Runs the descriptor {@code file} into {@code out} beside it. */
    private static ExperimentRunner.RunSummary runWritten(Path file) throws Exception {
        Path dir = file.getParent();
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        return BONSAI.run(d, new RunOptions(file, dir.resolve("out"), Optional.empty(), true, List.of()),
                new LogProgress());
    }

    private static List<TrialRecord> placementFree(List<TrialRecord> records) {
        return records.stream().map(PlacementFree::of).sorted(Comparator.comparing(TrialRecord::trialId)).toList();
    }

    @Test
    void aBoundedPoolGivesTheRecordsOfOneThreadAndTheSameTrialIds(@TempDir Path dir) throws Exception {
        ExperimentRunner.RunSummary serial = run(dir.resolve("serial"), DESCRIPTOR);
        ExperimentRunner.RunSummary pooled = run(dir.resolve("pool"),
                DESCRIPTOR + "executor: {id: local, parallel: 3}\nresources: {cpu: 2}\n");
        assertThat(serial.fresh()).hasSize(8).allSatisfy(r -> assertThat(r.ok()).as(r.error()).isTrue());
        assertThat(pooled.fresh()).hasSize(8);
        // where and how trials run changes neither their ids nor the descriptor's hash
        assertThat(placementFree(pooled.records())).isEqualTo(placementFree(serial.records()));
        assertThat(pooled.records()).allSatisfy(r -> {
            assertThat(r.provenance()).containsEntry("executor", "local").containsKey("host");
            assertThat(r.provenance().get("descriptor_hash"))
                    .isEqualTo(serial.records().get(0).provenance().get("descriptor_hash"));
        });
        // the speeds measured differ from run to run, which is why they are left out of the comparison
        assertThat(PlacementFree.of(serial.records().get(0)).metrics()).doesNotContainKey("inference_samples_per_s");
        assertThat(serial.records().get(0).metrics()).containsKey("inference_samples_per_s");
    }

    @Test
    void twoPooledRunsOnOneFolderInOneJvmComputeEachTrialOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, DESCRIPTOR + "executor: {id: local, parallel: 2}\n");
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            Future<ExperimentRunner.RunSummary> first = both.submit(() -> runWritten(file));
            Future<ExperimentRunner.RunSummary> second = both.submit(() -> runWritten(file));
            ExperimentRunner.RunSummary a = first.get(5, TimeUnit.MINUTES);
            ExperimentRunner.RunSummary b = second.get(5, TimeUnit.MINUTES);
            List<TrialRecord> stored = ResultsStore.in(dir.resolve("out")).read();
            assertThat(stored).hasSize(8);
            assertThat(stored.stream().map(TrialRecord::trialId).distinct()).hasSize(8);
            // what each run computed itself, together, is every trial once
            List<String> computed = new ArrayList<>();
            a.fresh().forEach(r -> computed.add(r.trialId()));
            b.fresh().forEach(r -> computed.add(r.trialId()));
            assertThat(computed).hasSize(8).doesNotHaveDuplicates();
            assertThat(a.records()).hasSize(8);
            assertThat(b.records()).hasSize(8);
        } finally {
            both.shutdownNow();
        }
    }

    @Test
    void anUnknownExecutorOrABadResourceFailsBeforeAnyWork(@TempDir Path dir) {
        assertThatThrownBy(() -> run(dir.resolve("a"), DESCRIPTOR + "executor: sparky\n"))
                .isInstanceOf(DescriptorException.class).hasMessageContaining("unknown executor 'sparky'")
                .hasMessageContaining("local");
        assertThatThrownBy(() -> run(dir.resolve("b"), DESCRIPTOR + "resources: {gpu: -1}\n"))
                .isInstanceOf(DescriptorException.class).hasMessageContaining("gpu");
        assertThatThrownBy(() -> run(dir.resolve("c"), DESCRIPTOR + "resources: {hardware: ['a 100']}\n"))
                .isInstanceOf(DescriptorException.class).hasMessageContaining("hardware tag 'a 100'");
        assertThat(dir.resolve("a/out")).doesNotExist();
    }
}
