package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.models.CharGpt;
import dev.bonsai.models.CharGptOptions;
import dev.bonsai.models.Mlp;
import dev.bonsai.models.MlpActivation;
import dev.bonsai.models.MlpOptions;
import dev.bonsai.models.checkpoint.CheckpointFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bonsai sample}: seeded text from a checkpoint, identical run to run, and refusals of unusable files. */
class SampleCommandTest {
    private static final List<String> VOCAB = List.of("\n", " ", "a", "b", "c", "d", "e", "f");

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeCheckpoint() {
        DatasetInfo chars = new DatasetInfo("chars", Shape.of(16), VOCAB.size(), Map.of(), VOCAB);
        ModelSpec spec = new CharGpt().build(new CharGptOptions(1, 2, 16, 16, 0), chars);
        model = dir.resolve("gpt.safetensors");
        CheckpointFile.write(model, new Checkpoint(spec, WeightInitializer.initialize(spec, 3), VOCAB, Map.of()));
    }

    @Test
    void theKeyValueCacheGivesTheSameTextAsWholeWindowForwardPasses() {
        // 70 new tokens after a 3-token prompt: the 16-token window moves on several times
        String[] args = {"sample", model.toString(), "--prompt", "abc", "--length", "70", "--seed", "5",
            "--samples", "3", "--temperature", "1.2"};
        CliRun cached = CliRun.of(args);
        String[] plain = java.util.Arrays.copyOf(args, args.length + 1);
        plain[args.length] = "--no-cache";
        CliRun uncached = CliRun.of(plain);
        assertThat(cached.status()).as(cached.err()).isZero();
        assertThat(uncached.status()).as(uncached.err()).isZero();
        assertThat(cached.out()).isEqualTo(uncached.out()).contains("--- sample 3 of 3 (seed 5) ---");
    }

    @Test
    void aSeedGivesTheSameTextRunToRun() {
        String[] args = {"sample", model.toString(), "--prompt", "abc", "--length", "40", "--seed", "5",
            "--samples", "2", "--temperature", "1.5"};
        CliRun first = CliRun.of(args);
        CliRun second = CliRun.of(args);
        CliRun other = CliRun.of("sample", model.toString(), "--prompt", "abc", "--length", "40", "--seed", "6",
                "--samples", "2", "--temperature", "1.5");

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(second.out()).isNotEqualTo(other.out());
        assertThat(first.out()).contains("--- sample 1 of 2 (seed 5) ---", "--- sample 2 of 2 (seed 5) ---");
        String tail = first.out().split("--- sample 2 of 2 \\(seed 5\\) ---" + System.lineSeparator())[1];
        String sample = tail.substring(0, tail.length() - System.lineSeparator().length());
        assertThat(sample).startsWith("abc");
        assertThat(sample.codePointCount(0, sample.length())).isEqualTo(3 + 40);
        assertThat(sample.chars().allMatch(c -> VOCAB.contains(String.valueOf((char) c)))).isTrue();

        CliRun greedy = CliRun.of("sample", model.toString(), "--length", "30", "--temperature", "0", "--seed", "1",
                "--threads", "1");
        CliRun greedyOtherSeed = CliRun.of("sample", model.toString(), "--length", "30", "--temperature", "0", "--seed", "9");
        assertThat(greedy.status()).as(greedy.err()).isZero();
        assertThat(greedy.out()).isEqualTo(greedyOtherSeed.out());
    }

    @Test
    void unusableFilesAndOptionsAreRefused() throws Exception {
        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "not a checkpoint at all, only text");
        CliRun bad = CliRun.of("sample", garbage.toString());
        assertThat(bad.status()).isEqualTo(BonsaiCli.BAD_INPUT);
        assertThat(bad.err()).contains(garbage.toString(), "not a safetensors file");

        DatasetInfo mnistLike = new DatasetInfo("digits", Shape.of(8), 3, Map.of());
        ModelSpec mlp = new Mlp().build(new MlpOptions(List.of(4), MlpActivation.RELU, 0), mnistLike);
        Path classifier = dir.resolve("mlp.safetensors");
        CheckpointFile.write(classifier, new Checkpoint(mlp, WeightInitializer.initialize(mlp, 1), List.of(), Map.of()));
        CliRun notText = CliRun.of("sample", classifier.toString());
        assertThat(notText.status()).isEqualTo(BonsaiCli.BAD_INPUT);
        assertThat(notText.err()).contains("not trained on text");

        CliRun unknownChar = CliRun.of("sample", model.toString(), "--prompt", "xyz");
        assertThat(unknownChar.status()).isEqualTo(BonsaiCli.BAD_INPUT);
        assertThat(unknownChar.err()).contains("U+0078");

        CliRun negative = CliRun.of("sample", model.toString(), "--temperature", "-1");
        assertThat(negative.status()).isEqualTo(BonsaiCli.BAD_INPUT);
        assertThat(negative.err()).contains("temperature");
    }
}
