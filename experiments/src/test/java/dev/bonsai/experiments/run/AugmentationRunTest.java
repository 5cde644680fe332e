package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.ImageJitter;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.datasets.mnist.MnistProvider;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.reports.model.Curves;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training-time augmentation from the descriptor: applied to training, refused where it cannot apply. */
class AugmentationRunTest {
    private static final Bonsai BONSAI = Bonsai.create();

    private static final String DESCRIPTOR = """
            name: synthetic-augment
            seeds: [1]
            engine: {id: djl, device: cpu}
            dataset: {id: synthetic-images, side: 4, train: 1024}
            model: {id: mlp, hidden: [16]}
            train: {optimizer: {id: sgd, lr: 0.1}, epochs: 3, batch: 32}
            """;

    private static ExperimentDescriptor read(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, yaml);
        return BONSAI.read(file, List.of());
    }

    private static ExperimentRunner.RunSummary run(Path dir, String yaml) throws Exception {
        ExperimentDescriptor d = read(dir, yaml);
        return BONSAI.run(d, new RunOptions(dir.resolve("e.yaml"), dir.resolve("out"), Optional.empty(), true,
                List.of()), new LogProgress());
    }

    @Test
    void augmentedTrainingDiffersAndIsAnotherTrialThanPlainTraining(@TempDir Path dir) throws Exception {
        TrialRecord plain = run(dir.resolve("plain"), DESCRIPTOR).fresh().get(0);
        String augmented = DESCRIPTOR.replace("batch: 32}", "batch: 32, augment: {shift: 1, flip: true}}");
        TrialRecord jittered = run(dir.resolve("jittered"), augmented).fresh().get(0);
        TrialRecord again = run(dir.resolve("again"), augmented).fresh().get(0);
        assertThat(plain.ok()).as(plain.error()).isTrue();
        assertThat(jittered.ok()).as(jittered.error()).isTrue();
        List<Double> plainLoss = Curves.of(plain, Curves.DENSE_TRAIN_LOSS);
        List<Double> jitteredLoss = Curves.of(jittered, Curves.DENSE_TRAIN_LOSS);
        assertThat(jitteredLoss).hasSize(3).isNotEqualTo(plainLoss);
        // the same seed draws the same jitter: a second run repeats the first exactly
        assertThat(Curves.of(again, Curves.DENSE_TRAIN_LOSS)).isEqualTo(jitteredLoss);
        assertThat(again.metric("test_loss")).isEqualTo(jittered.metric("test_loss"));
        // the descriptor's augmentation is part of the trial's identity and provenance
        assertThat(jittered.trialId()).isNotEqualTo(plain.trialId());
        assertThat(jittered.provenance().get("descriptor_hash")).isNotEqualTo(plain.provenance().get("descriptor_hash"));
    }

    @Test
    void aTeachersAugmentationIsPartOfItsProvenanceHash(@TempDir Path dir) throws Exception {
        String teacher = DESCRIPTOR + """
                distill:
                  recipe: {id: hinton, temperature: 4, alpha: 0.7}
                  teacher: {model: {id: mlp, hidden: [32]}, train: {optimizer: {id: sgd, lr: 0.1}, epochs: 2, batch: 32}}
                """;
        TrialRecord plain = run(dir.resolve("plain"), teacher).fresh().get(0);
        TrialRecord jittered = run(dir.resolve("jittered"), teacher.replace("epochs: 2, batch: 32}",
                "epochs: 2, batch: 32, augment: {shift: 1}}")).fresh().get(0);
        assertThat(plain.ok()).as(plain.error()).isTrue();
        assertThat(jittered.ok()).as(jittered.error()).isTrue();
        assertThat(jittered.provenance().get("teacher_hash")).isNotEqualTo(plain.provenance().get("teacher_hash"));
        assertThat(jittered.metric("teacher_test_loss")).isNotEqualTo(plain.metric("teacher_test_loss"));
        // the student's own training is not augmented: only the teacher's section asks for it
        ExperimentDescriptor d = read(dir.resolve("check"), teacher.replace("epochs: 2, batch: 32}",
                "epochs: 2, batch: 32, augment: {shift: 1}}"));
        assertThat(d.train().augment()).isEmpty();
    }

    @Test
    void augmentingSamplesThatAreNotImagesIsRefusedBeforeAnyTraining(@TempDir Path dir) {
        String vectors = DESCRIPTOR.replace("{id: synthetic-images, side: 4, train: 1024}", "{id: synthetic}")
                .replace("batch: 32}", "batch: 32, augment: {shift: 2}}");
        assertThatThrownBy(() -> run(dir, vectors)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("'train.augment' cannot be used with dataset 'synthetic'")
                .hasMessageContaining("[16]").hasMessageContaining("[channels, height, width]");
        assertThat(dir.resolve("out/results.jsonl")).doesNotExist();
    }

    @Test
    void anAugmentationThatChangesNothingIsADescriptorError(@TempDir Path dir) {
        assertThatThrownBy(() -> read(dir, DESCRIPTOR.replace("batch: 32}", "batch: 32, augment: {flip: false}}")))
                .hasMessageContaining("changes nothing");
    }

    @Test
    void theJitterPadsWithTheDatasetsBlack(@TempDir Path dir) throws Exception {
        ExperimentDescriptor d = read(dir, DESCRIPTOR.replace("{id: synthetic-images, side: 4, train: 1024}", "mnist")
                .replace("batch: 32}", "batch: 32, augment: {shift: 2}}"));
        DatasetInfo info = new DatasetInfo("mnist", Shape.of(1, 28, 28), 10, Map.of());
        TrainingConfig config = TrainingConfigs.of(d.train(), d.dataset(), info, "train");
        ImageJitter jitter = (ImageJitter) config.augmentation().orElseThrow();
        assertThat(jitter.shift()).isEqualTo(2);
        assertThat(jitter.flip()).isFalse();
        assertThat(jitter.fill()).hasSize(1);
        assertThat((double) jitter.fill()[0]).isCloseTo(-MnistProvider.MEAN / MnistProvider.STD, within(1e-6));
    }
}
