package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.cli.BonsaiCli;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.models.checkpoint.CheckpointFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small char-gpt run: language-model metrics, checkpoints and samples, and sampling its checkpoint again. */
class LanguageModelRunTest {
    private static final Bonsai BONSAI = Bonsai.create();

    private static final String DESCRIPTOR = """
            name: tiny-lm
            seeds: [1]
            engine: {id: djl, device: cpu}
            dataset: {id: text, file: corpus.txt, context: 16, stride: 8}
            model: {id: char-gpt, layers: 1, heads: 2, width: 16, context: 16}
            train: {optimizer: {id: adam, lr: 0.01}, epochs: 2, batch: 16}
            checkpoints: {save: true}
            samples: {count: 2, length: 24, temperature: 0, prompt: 'ab'}
            report: [markdown, csv]
            """;

    private ExperimentRunner.RunSummary run(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append(i % 3 == 0 ? "abcab cab\n" : "bca abc\n");
        }
        Files.writeString(dir.resolve("corpus.txt"), text);
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, yaml);
        ExperimentDescriptor d = BONSAI.read(file, List.of());
        return BONSAI.run(d, new RunOptions(file, dir.resolve("out"), Optional.empty(), true, List.of()),
                new LogProgress());
    }

    @Test
    void recordsLanguageModelMetricsSavesCheckpointsAndSamples(@TempDir Path dir) throws Exception {
        ExperimentRunner.RunSummary summary = run(dir, DESCRIPTOR.replace("corpus.txt",
                dir.resolve("corpus.txt").toString()));

        assertThat(summary.failed()).isZero();
        TrialRecord r = summary.fresh().get(0);
        double loss = r.metric("test_loss");
        assertThat(r.metric("test_perplexity")).isCloseTo(Math.exp(loss), within(1e-9));
        assertThat(r.metric("test_bits_per_token")).isCloseTo(loss / Math.log(2), within(1e-12));
        assertThat(r.metric("test_bits_per_character")).isEqualTo(r.metric("test_bits_per_token"));
        assertThat(r.metrics()).containsKeys("dense_test_perplexity", "dense_test_bits_per_character");
        assertThat(loss).isLessThan(Math.log(5)); // better than uniform over the 5 characters

        Path out = dir.resolve("out");
        Checkpoint dense = CheckpointFile.read(out.resolve("checkpoints/dense-seed1.safetensors"));
        Path trialFile = out.resolve("checkpoints/" + r.trialId() + ".safetensors");
        Checkpoint trial = CheckpointFile.read(trialFile);
        assertThat(trial.vocabulary()).containsExactly("\n", " ", "a", "b", "c");
        assertThat(trial.provenance()).containsEntry("trial_id", r.trialId()).containsEntry("seed", "1")
                .containsKey("descriptor_hash");
        assertThat(trial.weights().asMap()).isEqualTo(dense.weights().asMap()); // no pruning: the dense model

        String samples = Files.readString(out.resolve("samples.md"));
        assertThat(summary.reports()).contains(out.resolve("samples.md"));
        assertThat(samples).contains("# Samples of tiny-lm", r.trialId(), "Sample 1:", "Sample 2:");
        String first = samples.split("Sample 1:\n\n````text\n")[1].split("\n````")[0];
        assertThat(first).startsWith("ab").hasSize(2 + 24);

        // the checkpoint alone gives the same greedy text through the command line
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int status;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            status = BonsaiCli.execute("sample", trialFile.toString(), "--prompt", "ab", "--length", "24",
                    "--temperature", "0");
        } finally {
            System.setOut(old);
        }
        assertThat(status).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(first + System.lineSeparator());
    }

    @Test
    void aStudentLearnsFromTextItsTeacherWritesAndSamplesShowTeacherAndStudents(@TempDir Path dir) throws Exception {
        String distilled = DESCRIPTOR.replace("corpus.txt", dir.resolve("corpus.txt").toString())
                .replace("checkpoints: {save: true}\n", "") + """
                distill:
                  recipes: [none, {id: sequence-level, tokens: 2000, streams: 8}]
                  teacher: {model: {id: char-gpt, layers: 1, heads: 2, width: 24, context: 16}, seed: 1}
                """;
        ExperimentRunner.RunSummary summary = run(dir, distilled);

        assertThat(summary.failed()).isZero();
        assertThat(summary.fresh()).hasSize(2)
                .allSatisfy(r -> assertThat(r.metrics()).containsKey("test_bits_per_character"));
        TrialRecord student = summary.fresh().stream()
                .filter(r -> "sequence-level".equals(r.provenance().get("recipe"))).findFirst().orElseThrow();
        assertThat(student.metrics()).containsKey("teacher_test_bits_per_character");
        String samples = Files.readString(dir.resolve("out/samples.md"));
        String teacherHeading = "## teacher " + student.provenance().get("teacher_hash");
        assertThat(samples).contains(teacherHeading, "## recipe none, seed 1", "## recipe sequence-level, seed 1",
                student.trialId());
        assertThat(samples.indexOf(teacherHeading)).isLessThan(samples.indexOf("## recipe none"));
    }

    @Test
    void headPruningRemovesHalfTheHeadsAndTheSmallerModelScoresAsTheMaskedOne(@TempDir Path dir) throws Exception {
        String heads = DESCRIPTOR.replace("corpus.txt", dir.resolve("corpus.txt").toString())
                .replace("checkpoints: {save: true}\n", "")
                .replace("layers: 1, heads: 2", "layers: 2, heads: 4")
                .replace("samples: {count: 2,", "samples: {count: 1,") + """
                prune: {strategies: [magnitude], sparsities: [0.5], scope: layerwise, structure: heads,
                        finetune: {epochs: 0}}
                """;
        ExperimentRunner.RunSummary summary = run(dir, heads);

        assertThat(summary.failed()).as("%s", summary.fresh().stream().map(TrialRecord::error).toList()).isZero();
        TrialRecord r = summary.fresh().stream().filter(t -> "magnitude".equals(t.strategy())).findFirst()
                .orElseThrow();
        // without fine-tuning, the model without its heads scores exactly as the masked one did
        assertThat(r.metric("test_loss")).isCloseTo(r.metric("pruned_test_loss"), within(1e-5));
        // each block loses 2 of its 4 heads of width 4, half its qkv rows and proj columns, against the original sizes
        assertThat(r.achievedSparsity()).isCloseTo(0.5, within(1e-9));
        assertThat(r.metric("sparsity.block1.attn.qkv.weight")).isCloseTo(0.5, within(1e-9));
        assertThat(r.metric("sparsity.block2.attn.proj.weight")).isCloseTo(0.5, within(1e-9));
        assertThat(r.metric("flops")).isLessThan(r.metric("dense_flops"));
        assertThat(Files.readString(dir.resolve("out/samples.md"))).contains(r.trialId(), "Sample 1:");
    }

    @Test
    void blockPruningRemovesOneOfTwoBlocksAndTheSmallerModelScoresAsTheMaskedOne(@TempDir Path dir)
            throws Exception {
        TrialRecord r = prunedLanguageModel(dir, "structure: blocks");
        // one of the two equal blocks is gone: all of its weights, none of the other's
        assertThat(r.achievedSparsity()).isCloseTo(0.5, within(1e-9));
        double first = r.metric("sparsity.block1.fc.weight");
        assertThat(List.of(first, r.metric("sparsity.block2.fc.weight"))).containsExactlyInAnyOrder(0.0, 1.0);
        assertThat(r.metric("sparsity.block1.attn.qkv.weight")).isEqualTo(first);
        assertThat(r.metric("flops")).isLessThan(r.metric("dense_flops"));
    }

    @Test
    void mlpPruningRemovesHalfTheHiddenUnitsAndTheSmallerModelScoresAsTheMaskedOne(@TempDir Path dir)
            throws Exception {
        TrialRecord r = prunedLanguageModel(dir, "structure: mlp, scope: layerwise");
        // each block's MLP loses half its rows of fc and columns of proj, against the original sizes
        assertThat(r.metric("sparsity.block1.fc.weight")).isCloseTo(0.5, within(1e-9));
        assertThat(r.metric("sparsity.block2.proj.weight")).isCloseTo(0.5, within(1e-9));
        assertThat(r.achievedSparsity()).isCloseTo(0.5, within(1e-9));
        assertThat(r.metric("flops")).isLessThan(r.metric("dense_flops"));
    }

    /** A two-block char-gpt pruned by magnitude to 0.5 under {@code structure}, without fine-tuning, and sampled. */
    private TrialRecord prunedLanguageModel(Path dir, String structure) throws Exception {
        String descriptor = DESCRIPTOR.replace("corpus.txt", dir.resolve("corpus.txt").toString())
                .replace("checkpoints: {save: true}\n", "")
                .replace("layers: 1, heads: 2", "layers: 2, heads: 4")
                .replace("samples: {count: 2,", "samples: {count: 1,") + """
                prune: {strategies: [magnitude], sparsities: [0.5], %s, finetune: {epochs: 0}}
                """.formatted(structure);
        ExperimentRunner.RunSummary summary = run(dir, descriptor);

        assertThat(summary.failed()).as("%s", summary.fresh().stream().map(TrialRecord::error).toList()).isZero();
        TrialRecord r = summary.fresh().stream().filter(t -> "magnitude".equals(t.strategy())).findFirst()
                .orElseThrow();
        // without fine-tuning, the model without its pruned units scores exactly as the masked one did
        assertThat(r.metric("test_loss")).isCloseTo(r.metric("pruned_test_loss"), within(1e-5));
        assertThat(Files.readString(dir.resolve("out/samples.md"))).contains(r.trialId(), "Sample 1:");
        return r;
    }

    @Test
    void samplesOfAModelThatIsNotALanguageModelAreRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        String mlp = """
                name: not-text
                engine: {id: djl, device: cpu}
                dataset: {id: synthetic}
                model: {id: mlp, hidden: [8]}
                train: {epochs: 1}
                samples: {count: 1}
                """;
        assertThatThrownBy(() -> run(dir, mlp)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("not text");
    }

    @Test
    void bitsPerCharacterOfAWordModelCountEachWordAndItsSpace() {
        // labels: the(3+1) cat(3+1) <eos>(1) sat(3+1) → 13 characters for 4 tokens
        Split split = new Split("test", Shape.of(2), new float[4], new int[] {0, 1, 2, 3}, 2);
        assertThat(Metrics.charactersPerToken(split, List.of("the", "cat", "<eos>", "sat"))).isEqualTo(13 / 4.0);
        assertThat(Metrics.charactersPerToken(split, List.of("a", "b", "\n", "c"))).isEqualTo(1);
        assertThat(Metrics.charactersPerToken(split, List.of())).isNaN();
    }
}
