package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.model.Curves;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole experiments on synthetic data: every plugin point, the records, the reports and resuming. */
class ExperimentRunnerTest {
    private static final Bonsai BONSAI = Bonsai.create();

    private static final String DESCRIPTOR = """
            name: synthetic-sweep
            seeds: [1, 2]
            engine: {id: djl, device: cpu}
            dataset: {id: synthetic}
            model: {id: mlp, hidden: [32]}
            train: {optimizer: {id: sgd, lr: 0.1}, epochs: 5, batch: 32}
            prune:
              strategies: [magnitude, random]
              sparsities: [0.5, 0.8]
              finetune: {epochs: 1}
            """;

    private ExperimentRunner.RunSummary run(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, yaml);
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        return BONSAI.run(d, new RunOptions(file, dir.resolve("out"), Optional.empty(), true, List.of()), new LogProgress());
    }

    @Test
    void runsTheSweepWritesRecordsAndReportsAndResumes(@TempDir Path dir) throws Exception {
        ExperimentRunner.RunSummary first = run(dir, DESCRIPTOR);
        assertThat(first.failed()).isZero();
        assertThat(first.fresh()).hasSize(8);
        for (TrialRecord r : first.fresh()) {
            assertThat(r.ok()).isTrue();
            assertThat(r.achievedSparsity()).isCloseTo(r.targetSparsity(), org.assertj.core.data.Offset.offset(1e-3));
            assertThat(r.metric("dense_test_accuracy")).isGreaterThan(0.85);
            assertThat(r.metrics()).containsKeys("pruned_test_accuracy", "test_accuracy", "test_loss", "dense_test_loss");
            assertThat(r.provenance()).containsKeys("descriptor_hash", "bonsai_version", "jvm", "os", "cpu",
                    "engine_versions", "plugin.strategy." + r.strategy());
            assertThat(r.nonzeroParameters()).isLessThan(r.totalParameters());
            // training curves: 5 epochs of dense training (the loss falls), 1 of fine-tuning
            assertThat(Curves.of(r, Curves.DENSE_TRAIN_LOSS)).hasSize(5).satisfies(c ->
                    assertThat(c.get(4)).isLessThan(c.get(0)));
            assertThat(Curves.of(r, Curves.FINETUNE_LOSS)).hasSize(1).allMatch(Double::isFinite);
        }
        // the same seed's trials start from the same dense model
        assertThat(first.fresh().stream().filter(r -> r.seed() == 1).map(r -> r.metric("dense_test_accuracy")).distinct())
                .hasSize(1);
        Path out = dir.resolve("out");
        assertThat(out.resolve("report.md")).exists();
        assertThat(out.resolve("results.csv")).exists();
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(1 + 8);

        ExperimentRunner.RunSummary again = run(dir, DESCRIPTOR);
        assertThat(again.fresh()).isEmpty();
        assertThat(ResultsStore.in(out).read()).hasSize(8);

        ExperimentRunner.RunSummary wider = run(dir, DESCRIPTOR.replace("[0.5, 0.8]", "[0.5, 0.8, 0.9]"));
        assertThat(wider.fresh()).hasSize(4).allSatisfy(r -> assertThat(r.targetSparsity()).isEqualTo(0.9));
        assertThat(wider.records()).hasSize(12);

        // another configuration in the same folder: its records join the file, not the other's reports
        ExperimentRunner.RunSummary changed = run(dir, DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]")
                .replace("epochs: 5", "epochs: 4"));
        assertThat(changed.fresh()).hasSize(4);
        assertThat(changed.records()).hasSize(4).containsExactlyElementsOf(changed.fresh());
        assertThat(ResultsStore.in(out).read()).hasSize(16);
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(1 + 4);
    }

    /**
     * The same experiment on djl and dl4j, in one run and one JVM: each trial runs on both engines from the same
     * initial weights and batch order, and the engines agree on the dense model's and the pruned model's accuracy
     * and loss (they train identically up to float32 rounding; see the cross-engine test in engines/dl4j).
     */
    @Test
    void theSameExperimentGivesTheSameAnswerOnDjlAndDl4j(@TempDir Path dir) throws Exception {
        ExperimentRunner.RunSummary both = run(dir, DESCRIPTOR.replace("engine: {id: djl, device: cpu}",
                "engine: [{id: djl, device: cpu}, {id: dl4j, device: cpu}]").replace("seeds: [1, 2]", "seeds: [1]")
                .replace("[magnitude, random]", "[magnitude]").replace("[0.5, 0.8]", "[0.8]"));
        assertThat(both.failed()).isZero();
        assertThat(both.fresh()).extracting(TrialRecord::engine).containsExactlyInAnyOrder("djl", "dl4j");
        TrialRecord djl = both.fresh().stream().filter(r -> r.engine().equals("djl")).findFirst().orElseThrow();
        TrialRecord dl4j = both.fresh().stream().filter(r -> r.engine().equals("dl4j")).findFirst().orElseThrow();
        for (String metric : List.of("dense_test_accuracy", "pruned_test_accuracy", "test_accuracy")) {
            assertThat(dl4j.metric(metric)).as(metric).isCloseTo(djl.metric(metric),
                    org.assertj.core.data.Offset.offset(0.01));
        }
        assertThat(dl4j.metric("dense_test_loss")).isCloseTo(djl.metric("dense_test_loss"),
                org.assertj.core.data.Offset.offset(1e-3 * Math.max(1, djl.metric("dense_test_loss"))));
        assertThat(dl4j.provenance().get("engine_versions")).contains("ND4J");
    }

    @Test
    void withoutAPruneSectionEachSeedTrainsAndEvaluatesTheDenseModel(@TempDir Path dir) throws Exception {
        ExperimentRunner.RunSummary summary = run(dir, DESCRIPTOR.substring(0, DESCRIPTOR.indexOf("prune:")));
        assertThat(summary.failed()).isZero();
        assertThat(summary.fresh()).hasSize(2).allSatisfy(r -> {
            assertThat(r.strategy()).isEqualTo(TrialSpec.NONE);
            assertThat(r.targetSparsity()).isZero();
            assertThat(r.metric("test_accuracy")).isEqualTo(r.metric("dense_test_accuracy")).isGreaterThan(0.85);
            assertThat(r.metrics()).doesNotContainKey("pruned_test_accuracy");
        });
        assertThat(dir.resolve("out/report.md")).exists();
    }

    @Test
    void excludedLayersStayDenseAndOverriddenLayersReachTheirOwnTarget(@TempDir Path dir) throws Exception {
        String base = DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]").replace("[magnitude, random]", "[magnitude]")
                .replace("sparsities: [0.5, 0.8]", "sparsities: [0.5]");
        TrialRecord excluded = run(dir.resolve("a"), base + "  exclude: [fc2]\n").fresh().get(0);
        // mlp [32] on 16 features: fc1.weight has 32 × 16 = 512 weights, fc2.weight 2 × 32 = 64
        assertThat(excluded.totalParameters() - excluded.nonzeroParameters()).isEqualTo(256);
        assertThat(excluded.achievedSparsity()).isEqualTo(0.5);
        assertThat(excluded.metric("sparsity.fc1.weight")).isEqualTo(0.5);
        assertThat(excluded.metrics()).doesNotContainKey("sparsity.fc2.weight");
        assertThat(excluded.metric("flops")).isEqualTo(2.0 * (16 * 32 * 0.5 + 32 * 2));
        TrialRecord overridden = run(dir.resolve("b"), base + "  overrides: [{layer: fc2, sparsity: 0.25}]\n")
                .fresh().get(0);
        assertThat(overridden.totalParameters() - overridden.nonzeroParameters()).isEqualTo(256 + 16);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(dir.resolve("c"), base + "  exclude: [fc9]\n"))
                .hasMessageContaining("layer 'fc9'", "fc1, fc2");
    }

    @Test
    void lotteryRoundsRewindTheRemainingWeightsToTheirInitialValues(@TempDir Path dir) throws Exception {
        String lottery = DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]").replace("[magnitude, random]", "[magnitude]")
                .replace("sparsities: [0.5, 0.8]", "sparsities: [0.5]\n  schedule: {id: lottery, rounds: 1}")
                .replace("finetune: {epochs: 1}", "finetune: {epochs: 0}");
        TrialRecord r = run(dir, lottery).fresh().get(0);
        assertThat(r.ok()).as(r.error()).isTrue();
        assertThat(r.achievedSparsity()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-3));
        // pruned from the trained model, then rewound to initialisation with no retraining: back near chance
        assertThat(r.metric("pruned_test_accuracy")).isGreaterThan(0.8);
        assertThat(r.metric("test_accuracy")).isLessThan(0.75);
    }

    /**
     * Layerwise, as Sanh et al. select movement scores (top-k per matrix): raw movement compared globally pruned this
     * model's whole output layer on both engines alike.
     */
    @Test
    void gradualAndMovementPruneDuringFineTuningOnBothEngines(@TempDir Path dir) throws Exception {
        String gradual = DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]")
                .replace("engine: {id: djl, device: cpu}", "engine: [{id: djl, device: cpu}, {id: dl4j, device: cpu}]")
                .replace("[magnitude, random]", "[magnitude, movement]")
                .replace("sparsities: [0.5, 0.8]", "sparsities: [0.8]\n  schedule: {id: gradual, pruning_steps: 4}"
                        + "\n  scope: layerwise")
                .replace("finetune: {epochs: 1}", "finetune: {epochs: 2}");
        ExperimentRunner.RunSummary summary = run(dir, gradual);
        assertThat(summary.fresh()).hasSize(4);
        for (TrialRecord r : summary.fresh()) {
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.schedule()).isEqualTo("gradual");
            assertThat(r.achievedSparsity()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(r.metrics()).containsKeys("pruned_test_accuracy", "test_accuracy");
            // chance is 0.5; movement at 0.8 after 64 steps of fine-tuning scored 0.76 here, magnitude 0.98
            assertThat(r.metric("test_accuracy")).as("%s on %s", r.strategy(), r.engine())
                    .isGreaterThan(r.strategy().equals("movement") ? 0.6 : 0.9);
            assertThat(Curves.of(r, Curves.FINETUNE_LOSS)).hasSize(2);
        }
    }

    @Test
    void movementWithoutFineTuningIsRefusedBeforeAnyWork(@TempDir Path dir) {
        String oneShot = DESCRIPTOR.replace("[magnitude, random]", "[movement]")
                .replace("finetune: {epochs: 1}", "finetune: {epochs: 0}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(dir, oneShot))
                .hasMessageContaining("strategy 'movement'", "prune.finetune.epochs is 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(dir.resolve("b"), DESCRIPTOR.replace(
                "sparsities: [0.5, 0.8]", "sparsities: [0.5]\n  schedule: {id: gradual, every: 1000}")))
                .hasMessageContaining("past the end of the", "schedule.every");
    }

    @Test
    void removingNeuronsMakesTheModelSmallerForReal(@TempDir Path dir) throws Exception {
        String neurons = DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]").replace("[magnitude, random]", "[magnitude]")
                .replace("sparsities: [0.5, 0.8]", "sparsities: [0.5]\n  structure: neurons");
        TrialRecord r = run(dir, neurons).fresh().get(0);
        assertThat(r.ok()).as(r.error()).isTrue();
        // mlp [32] on 16 features, 2 classes: 16 of fc1's 32 neurons go, fc2 (the outputs) stays
        assertThat(r.totalParameters()).isEqualTo(16 * 16 + 16 + 2 * 16 + 2);
        assertThat(r.achievedSparsity()).isEqualTo(0.5);
        assertThat(r.metric("test_accuracy")).isGreaterThan(0.8);
        assertThat(r.metrics()).containsKeys("inference_samples_per_s", "dense_inference_samples_per_s");
        // forward FLOPs per sample: 2·(16·32 + 32·2) dense; half of fc1's neurons gone: 2·(16·16 + 16·2)
        assertThat(r.metric("dense_flops")).isEqualTo(2.0 * (16 * 32 + 32 * 2));
        assertThat(r.metric("flops")).isEqualTo(2.0 * (16 * 16 + 16 * 2));
        assertThat(r.metric("sparsity.fc1.weight")).isEqualTo(0.5);
    }

    @Test
    void removingChannelsMakesTheCnnSmallerForRealAndKeepsItsOutputs(@TempDir Path dir) throws Exception {
        String channels = DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]").replace("[magnitude, random]", "[magnitude]")
                .replace("dataset: {id: synthetic}", "dataset: {id: synthetic-images, side: 8}")
                .replace("model: {id: mlp, hidden: [32]}", "model: {id: cnn, widths: [4, 8], hidden: 8}")
                .replace("epochs: 5", "epochs: 2")
                .replace("sparsities: [0.5, 0.8]", "sparsities: [0.5]\n  structure: channels\n  scope: layerwise")
                .replace("finetune: {epochs: 1}", "finetune: {epochs: 0}");
        TrialRecord r = run(dir, channels).fresh().get(0);
        assertThat(r.ok()).as(r.error()).isTrue();
        // half the channels of each conv go: conv1a 4→2, conv1b 4→2, conv2a 8→4, conv2b 8→4; trainable parameters:
        // conv1a 2·1·9, bn1a 2·2, conv1b 2·2·9, bn1b 2·2, conv2a 4·2·9, bn2a 4·2, conv2b 4·4·9, bn2b 4·2,
        // fc1 8·(4 channels · 2·2) + 8, fc2 2·8 + 2
        assertThat(r.totalParameters()).isEqualTo(18 + 4 + 36 + 4 + 72 + 8 + 144 + 8 + 128 + 8 + 16 + 2);
        // conv kernels keep 18 + 36 + 72 + 144 of their 36 + 144 + 288 + 576 elements
        assertThat(r.achievedSparsity()).isCloseTo(1 - 270 / 1044.0, within(1e-9));
        // FLOPs per sample, 2·in·k²·out·H·W per conv and 2·in·out per dense layer, before and after
        assertThat(r.metric("dense_flops")).isEqualTo(2.0 * (1 * 9 * 4 * 64 + 4 * 9 * 4 * 64 + 4 * 9 * 8 * 16
                + 8 * 9 * 8 * 16 + 32 * 8 + 8 * 2));
        assertThat(r.metric("flops")).isEqualTo(2.0 * (1 * 9 * 2 * 64 + 2 * 9 * 2 * 64 + 2 * 9 * 4 * 16
                + 4 * 9 * 4 * 16 + 16 * 8 + 8 * 2));
        // without fine-tuning, the smaller model evaluates exactly as the masked one did
        assertThat(r.metric("test_accuracy")).isEqualTo(r.metric("pruned_test_accuracy"));
        assertThat(r.metric("test_loss")).isCloseTo(r.metric("pruned_test_loss"), within(1e-5));
    }

    @Test
    void aFailingTrialIsRecordedAndTheSweepGoesOn(@TempDir Path dir) throws Exception {
        ExperimentRunner.RunSummary summary = run(dir, DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]")
                .replace("sparsities: [0.5, 0.8]", "sparsities: [0.99]\n  structure: neurons"));
        // 0.99 of fc1's 32 neurons rounds to all of them, which cannot be removed: each trial fails after pruning
        assertThat(summary.failed()).isEqualTo(2);
        assertThat(summary.fresh()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(TrialRecord.FAILED);
            assertThat(r.error()).contains("every neuron of layer 'fc1' is pruned");
        });
        assertThat(Files.readString(dir.resolve("out/report.md"))).contains("every neuron of layer 'fc1'");
    }

    @Test
    void aSensitivityAnalysisPrunesEachLayerAloneAndResumes(@TempDir Path dir) throws Exception {
        String sensitivity = DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]").replace("[magnitude, random]", "[magnitude]")
                .replace("finetune: {epochs: 1}", "finetune: {epochs: 0}\n  sensitivity: true");
        ExperimentRunner.RunSummary first = run(dir, sensitivity);
        // mlp [32]: layers fc1 and fc2, each alone at 0.5 and 0.8
        assertThat(first.fresh()).extracting(TrialRecord::scope, TrialRecord::targetSparsity).containsExactly(
                tuple("layer fc1", 0.5), tuple("layer fc1", 0.8), tuple("layer fc2", 0.5), tuple("layer fc2", 0.8));
        for (TrialRecord r : first.fresh()) {
            assertThat(r.ok()).as(r.error()).isTrue();
            String pruned = r.scope().substring("layer ".length());
            String other = pruned.equals("fc1") ? "fc2" : "fc1";
            assertThat(r.metric("sparsity." + pruned + ".weight")).isCloseTo(r.targetSparsity(), within(0.02));
            assertThat(r.metric("sparsity." + other + ".weight")).isZero();
            assertThat(r.achievedSparsity()).isCloseTo(r.targetSparsity(), within(0.02));
        }
        assertThat(Files.readString(dir.resolve("out/report.html"))).contains("Sensitivity analysis");
        assertThat(run(dir, sensitivity).fresh()).isEmpty();
    }

    @Test
    void aDivergingDenseTrainingStopsTheExperimentSayingSo(@TempDir Path dir) {
        // every trial would start from the dense model, so none can run: the run stops with the reason
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(dir, DESCRIPTOR.replace("seeds: [1, 2]",
                "seeds: [1]").replace("lr: 0.1", "lr: 1.0e12"))).isInstanceOf(dev.bonsai.api.BonsaiException.class)
                .hasMessageContaining("seed 1 · dense training", "diverged", "epoch 1", "gradient_clip");
    }
}
