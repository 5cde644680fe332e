package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sparsegpt, which selects its own masks, and wanda, which fixes its own scope, in whole runs: each meets its
 * target in every layer although the descriptor asks for a global scope, and sparsegpt's second round of an
 * iterative schedule keeps the first round's pruned weights pruned (the host refuses the outcome otherwise).
 */
class SelfSelectingStrategyRunTest {
    private static final Bonsai BONSAI = Bonsai.create();

    @Test
    void everyLayerMeetsTheTargetUnderAGlobalDescriptorScope(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, """
                name: self-selecting
                seeds: [1]
                engine: {id: djl, device: cpu}
                dataset: {id: synthetic}
                model: {id: mlp, hidden: [32]}
                train: {optimizer: {id: sgd, lr: 0.1}, epochs: 3, batch: 32}
                prune:
                  strategies: [sparsegpt, wanda]
                  scope: global
                  sparsities: [0.6]
                  schedule: {id: iterative, rounds: 2}
                  finetune: {epochs: 0}
                  calibration: 2
                """);
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        ExperimentRunner.RunSummary summary = BONSAI.run(d, new RunOptions(file, dir.resolve("out"), Optional.empty(),
                true, List.of()), new LogProgress());
        assertThat(summary.failed()).isZero();
        assertThat(summary.fresh()).extracting(TrialRecord::strategy).containsExactlyInAnyOrder("sparsegpt", "wanda");
        for (TrialRecord r : summary.fresh()) {
            assertThat(r.ok()).as(r.strategy() + ": " + r.error()).isTrue();
            Map<String, Double> layers = new java.util.TreeMap<>();
            r.metrics().forEach((k, v) -> {
                if (k.startsWith("sparsity.")) {
                    layers.put(k, v);
                }
            });
            assertThat(layers).as(r.strategy()).hasSizeGreaterThanOrEqualTo(2);
            // rounding: per row of 16 inputs wanda prunes round(9.6) = 10 of 16; sparsegpt rounds per layer
            layers.forEach((name, s) -> assertThat(s).as(r.strategy() + " " + name).isCloseTo(0.6, within(0.03)));
            assertThat(r.metric("test_accuracy")).as(r.strategy()).isGreaterThan(0.75);
        }
    }

    @Test
    void aRowComparisonWithNeuronRemovalIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, """
                name: row-and-neurons
                seeds: [1]
                engine: {id: djl, device: cpu}
                dataset: {id: synthetic}
                model: {id: mlp, hidden: [32]}
                train: {optimizer: {id: sgd, lr: 0.1}, epochs: 1, batch: 32}
                prune:
                  strategies: [magnitude, wanda]
                  structure: neurons
                  sparsities: [0.5]
                """);
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        assertThatThrownBy(() -> BONSAI.run(d, new RunOptions(file, dir.resolve("out"), Optional.empty(), true,
                List.of()), new LogProgress()))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("strategy 'wanda'")
                .hasMessageContaining("'neurons'").hasMessageContaining("comparison: scope");
        assertThat(dir.resolve("out").resolve("results.jsonl")).doesNotExist();
    }
}
