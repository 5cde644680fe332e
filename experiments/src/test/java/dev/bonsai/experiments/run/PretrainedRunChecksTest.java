package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.pretrained.SharedStories260K;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run refuses around pretrained models, before any work: an untrained model (train.epochs 0 is for a
 * pretrained model only) and a pretrained model on a dataset its tokenizer cannot tokenise.
 */
class PretrainedRunChecksTest {
    private static final Bonsai BONSAI = Bonsai.create();

    private static ExperimentRunner.RunSummary run(Path dir, String yaml) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("abc cab\n");
        }
        Files.writeString(dir.resolve("corpus.txt"), text);
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, yaml.replace("CORPUS", dir.resolve("corpus.txt").toString()));
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        return BONSAI.run(d, new RunOptions(file, dir.resolve("out"), Optional.empty(), true, List.of()),
                new LogProgress());
    }

    private static Throwable failure(Path dir, String yaml) {
        try {
            ExperimentRunner.RunSummary summary = run(dir, yaml);
            TrialRecord r = summary.fresh().get(0);
            assertThat(r.status()).isEqualTo(TrialRecord.FAILED);
            return new IllegalStateException(r.error());
        } catch (Exception | AssertionError e) {
            return e;
        }
    }

    @Test
    void zeroEpochsLeaveAModelTrainedFromScratchUntrainedAndAreRefused(@TempDir Path dir) {
        Throwable e = failure(dir, """
                name: untrained
                seeds: [1]
                engine: {id: djl, device: cpu}
                dataset: {id: text, file: CORPUS, context: 8}
                model: {id: char-gpt, layers: 1, heads: 2, width: 8, context: 8}
                train: {epochs: 0, batch: 16}
                """);
        assertThat(e).hasMessageContaining("train.epochs is 0").hasMessageContaining("untrained")
                .hasMessageContaining("only a pretrained model");
    }

    @Test
    void aPretrainedModelNeedsATextDatasetItsTokenizerTokenises(@TempDir Path dir) {
        Path model = SharedStories260K.checkpoint();
        Throwable e = failure(dir, """
                name: wrong-data
                seeds: [1]
                engine: {id: djl, device: cpu}
                dataset: {id: text, file: CORPUS, context: 8}
                model: {id: pretrained, path: MODEL}
                train: {epochs: 0}
                """.replace("MODEL", model.toString()));
        assertThat(e).hasMessageContaining("model 'pretrained' is pretrained with its own tokenizer")
                .hasMessageContaining("dataset 'text'");
    }
}
