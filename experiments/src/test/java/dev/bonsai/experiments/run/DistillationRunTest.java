package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.models.checkpoint.CheckpointFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole distillation experiments on synthetic data: recipes as a dimension, teacher caching and bad teachers. */
class DistillationRunTest {
    private static final Bonsai BONSAI = Bonsai.create();

    private static final String DESCRIPTOR = """
            name: synthetic-distill
            seeds: [1, 2]
            engine: {id: djl, device: cpu}
            dataset: {id: synthetic}
            model: {id: mlp, hidden: [16]}
            train: {optimizer: {id: sgd, lr: 0.1}, epochs: 3, batch: 32}
            prune:
              strategies: [magnitude]
              sparsities: [0.5]
              finetune: {epochs: 1}
            distill:
              recipes: [none, {id: hinton, temperature: 4, alpha: 0.7}]
              teacher: {model: {id: mlp, hidden: [48]}, train: {optimizer: {id: sgd, lr: 0.1}, epochs: 4, batch: 32}, seed: 7}
            """;

    private ExperimentRunner.RunSummary run(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, yaml);
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        return BONSAI.run(d, new RunOptions(file, dir.resolve("out"), Optional.empty(), true, List.of()),
                new LogProgress());
    }

    private static List<Path> teacherFiles(Path dir) throws Exception {
        Path folder = dir.resolve("out").resolve(Teachers.FOLDER);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(CheckpointFile.EXTENSION)).toList();
        }
    }

    @Test
    void recipesAreADimensionAndOneSharedTeacherIsTrainedOnceAcrossSeedsRecipesAndRuns(@TempDir Path dir)
            throws Exception {
        ExperimentRunner.RunSummary first = run(dir, DESCRIPTOR);
        assertThat(first.failed()).isZero();
        assertThat(first.fresh()).hasSize(4).allSatisfy(r -> assertThat(r.ok()).as(r.error()).isTrue());
        List<TrialRecord> none = first.fresh().stream().filter(r -> "none".equals(r.provenance().get("recipe")))
                .toList();
        List<TrialRecord> hinton = first.fresh().stream().filter(r -> "hinton".equals(r.provenance().get("recipe")))
                .toList();
        assertThat(none).hasSize(2).allSatisfy(r -> assertThat(r.provenance()).doesNotContainKey("teacher_hash"));
        assertThat(hinton).hasSize(2).allSatisfy(r -> {
            assertThat(r.provenance()).containsKeys("teacher_hash", "teacher_model", "recipe_options")
                    .containsEntry("teacher_source", "trained").containsEntry("teacher_seed", "7");
            assertThat(r.metric("teacher_test_accuracy")).isGreaterThan(0.85);
            assertThat(r.metrics()).containsKeys("teacher_test_loss", "teacher_test_errors", "teacher_parameters");
        });
        assertThat(hinton.stream().map(r -> r.provenance().get("teacher_hash")).distinct()).hasSize(1);
        // the distilled and the hard-label students of a seed differ: the recipe changed the training
        assertThat(hinton.get(0).metric("dense_test_loss")).isNotEqualTo(none.get(0).metric("dense_test_loss"));
        List<Path> files = teacherFiles(dir);
        assertThat(files).hasSize(1);
        long modified = Files.getLastModifiedTime(files.get(0)).toMillis();
        byte[] bytes = Files.readAllBytes(files.get(0));
        String report = Files.readString(dir.resolve("out/report.md"));
        assertThat(report).contains("recipe").contains("hinton").contains("Teacher");
        assertThat(Files.readAllLines(dir.resolve("out/results.csv")).get(0)).contains("provenance.recipe");

        // a wider run resumes: the new seed's students reuse the cached teacher, which is not trained again
        ExperimentRunner.RunSummary wider = run(dir, DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1, 2, 3]"));
        assertThat(wider.fresh()).hasSize(2).allSatisfy(r -> assertThat(r.seed()).isEqualTo(3));
        assertThat(wider.fresh().stream().filter(r -> r.provenance().containsKey("teacher_hash")))
                .singleElement().satisfies(r -> assertThat(r.provenance()).containsEntry("teacher_source", "cache")
                        .containsEntry("teacher_hash", hinton.get(0).provenance().get("teacher_hash")));
        assertThat(teacherFiles(dir)).containsExactlyElementsOf(files);
        assertThat(Files.getLastModifiedTime(files.get(0)).toMillis()).isEqualTo(modified);
        assertThat(Files.readAllBytes(files.get(0))).isEqualTo(bytes);
    }

    @Test
    void withoutATeacherSeedEachStudentSeedHasItsOwnTeacherAndFitnetsRunsBothStages(@TempDir Path dir)
            throws Exception {
        String yaml = DESCRIPTOR.replace(", seed: 7}", "}").substring(0, DESCRIPTOR.indexOf("prune:"))
                + """
                distill:
                  recipe: {id: fitnets, hint_layer: relu1, guided_layer: relu1, hint_epochs: 1}
                  teacher: {model: {id: mlp, hidden: [48]}}
                """;
        ExperimentRunner.RunSummary summary = run(dir, yaml);
        assertThat(summary.fresh()).hasSize(2).allSatisfy(r -> {
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.provenance()).containsEntry("recipe", "fitnets");
            assertThat(r.metric("test_accuracy")).isGreaterThan(0.85);
        });
        assertThat(summary.fresh().stream().map(r -> r.provenance().get("teacher_hash")).distinct()).hasSize(2);
        assertThat(teacherFiles(dir)).hasSize(2);
    }

    @Test
    void teachersAreSharedWithinARunAndLoadedFromTheCacheByTheNext(@TempDir Path dir) throws Exception {
        // Teachers directly: two seeds with a fixed teacher seed get the very same teacher, trained once
        run(dir, DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]").replace("[none, {id: hinton", "[{id: hinton"));
        assertThat(teacherFiles(dir)).hasSize(1);
        long modified = Files.getLastModifiedTime(teacherFiles(dir).get(0)).toMillis();
        ExperimentRunner.RunSummary again = run(dir, DESCRIPTOR.replace("[none, {id: hinton", "[{id: hinton"));
        assertThat(again.fresh()).hasSize(1).allSatisfy(r -> assertThat(r.provenance())
                .containsEntry("teacher_source", "cache"));
        assertThat(Files.getLastModifiedTime(teacherFiles(dir).get(0)).toMillis()).isEqualTo(modified);

        // other student seeds draw no validation split here, so they still share the fixed-seed teacher
        ExperimentRunner.RunSummary other = run(dir, DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [5]")
                .replace("[none, {id: hinton", "[{id: hinton"));
        assertThat(other.fresh()).hasSize(1).allSatisfy(r -> assertThat(r.provenance())
                .containsEntry("teacher_source", "cache"));
        assertThat(teacherFiles(dir)).hasSize(1);
    }

    @Test
    void aTeacherOnDjlTeachesAStudentOnDl4j(@TempDir Path dir) throws Exception {
        String yaml = DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]")
                .replace("engine: {id: djl, device: cpu}", "engine: {id: dl4j, device: cpu}")
                .replace("[none, {id: hinton, temperature: 4, alpha: 0.7}]", "[none, {id: hinton, temperature: 4, "
                        + "alpha: 0.7}, {id: fitnets, hint_layer: relu1, guided_layer: relu1, hint_epochs: 1}]")
                .replace(", seed: 7}", ", seed: 7, engine: {id: djl, device: cpu}}");
        ExperimentRunner.RunSummary summary = run(dir, yaml);
        assertThat(summary.fresh()).hasSize(3).allSatisfy(r -> {
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.engine()).isEqualTo("dl4j");
            assertThat(r.metric("test_accuracy")).isGreaterThan(0.85);
        });
        List<TrialRecord> distilled = summary.fresh().stream()
                .filter(r -> r.provenance().containsKey("teacher_hash")).toList();
        assertThat(distilled).hasSize(2).allSatisfy(r -> assertThat(r.provenance().get("teacher_engine"))
                .startsWith("djl"));
        TrialRecord none = summary.fresh().stream().filter(r -> "none".equals(r.provenance().get("recipe")))
                .findFirst().orElseThrow();
        assertThat(distilled).allSatisfy(r -> assertThat(r.metric("dense_test_loss"))
                .isNotEqualTo(none.metric("dense_test_loss")));
    }

    @Test
    void aMissingOrCorruptCheckpointIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        String missing = DESCRIPTOR.replace(
                "{model: {id: mlp, hidden: [48]}, train: {optimizer: {id: sgd, lr: 0.1}, epochs: 4, batch: 32}, seed: 7}",
                "{checkpoint: teacher.safetensors}");
        assertThatThrownBy(() -> run(dir.resolve("a"), missing)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("teacher.safetensors").hasMessageContaining("does not exist");
        assertThat(dir.resolve("a/out/results.jsonl")).doesNotExist();

        Files.createDirectories(dir.resolve("b"));
        Files.write(dir.resolve("b/teacher.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThatThrownBy(() -> run(dir.resolve("b"), missing)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("teacher.safetensors");
        assertThat(dir.resolve("b/out/results.jsonl")).doesNotExist();
    }

    @Test
    void aCheckpointTeacherIsUsedAndOneWithOtherClassesIsRefused(@TempDir Path dir) throws Exception {
        String fromFile = DESCRIPTOR.replace("seeds: [1, 2]", "seeds: [1]").replace(
                "{model: {id: mlp, hidden: [48]}, train: {optimizer: {id: sgd, lr: 0.1}, epochs: 4, batch: 32}, seed: 7}",
                "{checkpoint: teacher.safetensors}");
        ModelSpec good = new ModelSpec("t", Shape.of(16), List.of(new LayerSpec.Dense("fc1", 2, true)));
        Files.createDirectories(dir.resolve("a"));
        CheckpointFile.write(dir.resolve("a/teacher.safetensors"),
                new Checkpoint(good, WeightInitializer.initialize(good, 1), List.of(), Map.of()));
        ExperimentRunner.RunSummary ok = run(dir.resolve("a"), fromFile);
        assertThat(ok.fresh()).hasSize(2).allSatisfy(r -> assertThat(r.ok()).as(r.error()).isTrue());
        assertThat(ok.fresh().get(1).provenance()).containsEntry("teacher_source", "checkpoint")
                .containsEntry("teacher_checkpoint", "teacher.safetensors");

        ModelSpec wrong = new ModelSpec("t3", Shape.of(16), List.of(new LayerSpec.Dense("fc1", 3, true)));
        Files.createDirectories(dir.resolve("b"));
        CheckpointFile.write(dir.resolve("b/teacher.safetensors"),
                new Checkpoint(wrong, WeightInitializer.initialize(wrong, 1), List.of(), Map.of()));
        assertThatThrownBy(() -> run(dir.resolve("b"), fromFile)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("[3]").hasMessageContaining("[2]").hasMessageContaining("classes");
        assertThat(dir.resolve("b/out/results.jsonl")).doesNotExist();
    }

    @Test
    void aHintLayerThatDoesNotExistIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        String yaml = DESCRIPTOR.replace("recipes: [none, {id: hinton, temperature: 4, alpha: 0.7}]",
                "recipe: {id: fitnets, hint_layer: relu1, guided_layer: relu9}");
        assertThatThrownBy(() -> run(dir, yaml)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("recipe 'fitnets'").hasMessageContaining("guided layer 'relu9'")
                .hasMessageContaining("relu1");
        assertThat(teacherFiles(dir)).isEmpty();
        assertThat(dir.resolve("out/results.jsonl")).doesNotExist();
    }

    @Test
    void aRecipeThatNeedsATeacherWithoutOneIsADescriptorError(@TempDir Path dir) throws Exception {
        String yaml = DESCRIPTOR.substring(0, DESCRIPTOR.indexOf("  teacher:"));
        assertThatThrownBy(() -> run(dir, yaml)).hasMessageContaining("recipe 'hinton' needs a teacher");
    }
}
