package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.experiments.pretrained.SharedStories260K;
import dev.bonsai.models.checkpoint.CheckpointFile;
import dev.bonsai.models.pretrained.ModelFormats;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.pretrained.PretrainedProvider;
import dev.bonsai.models.pretrained.llama2c.Llama2cFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bonsai sample} and {@code bonsai export} on stories260K's llama2.c checkpoint: greedy text from its
 * key/value cache matches the model README and Karpathy's documented output exactly, and an export of a run's
 * pruned checkpoint keeps its zeros. Skipped where the shared models are absent.
 */
class PretrainedModelCommandsTest {
    /** llama2.c's doc/stories260K.md: {@code run} at temperature 0 from BOS, 256 steps. */
    private static final String KARPATHY_256 = """
            Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she \
            saw a big, red ball. She wanted to play with it, but it was too high.
            Lily's mom said, "Lily, let's go to the park." Lily was sad and didn't know what to do. She said, "I want \
            to play with your ball, but I can't find it."
            Lily was sad and didn't know what to do. She said, "I'm sorry, Lily. I didn't know what to do."
            Lily didn't want to help her mom, so she said, "I'm sorry, mom. I didn't know what to do." Her mom said, \
            "Don't worry, Lily. We can help you.""";

    @TempDir
    Path dir;

    @Test
    void greedyContinuationOfThePromptIsTheReadmes() {
        Path model = SharedStories260K.checkpoint();
        CliRun r = CliRun.of("sample", "--model", model.toString(), "--prompt", "Once upon a time", "--length", "40",
                "--temperature", "0", "--threads", "1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("Once upon a time, there was a little girl named Lily. She loved to play"
                + " outside in the park. One day, she saw a big, red ball.");
    }

    @Test
    void greedyTextFromBosAloneIsKarpathysDocumentedOutput() {
        Path model = SharedStories260K.checkpoint();
        CliRun r = CliRun.of("sample", model.toString(), "--length", "256", "--temperature", "0", "--threads", "1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(KARPATHY_256);
    }

    @Test
    void exportsAPrunedCheckpointWithItsZerosAndRefusesAFormatThatIsNotThere() throws IOException {
        Path model = SharedStories260K.checkpoint();
        PretrainedModel original = new Llama2cFormat().read(model);
        Map<String, Tensor> pruned = new LinkedHashMap<>();
        original.weights().asMap().forEach((name, t) -> {
            Tensor copy = t.copy();
            if (name.endsWith("mlp.up.weight")) {
                for (int i = 0; i < copy.data().length; i += 2) {
                    copy.data()[i] = 0;
                }
            }
            pruned.put(name, copy);
        });
        Path checkpoint = dir.resolve("pruned.safetensors");
        CheckpointFile.write(checkpoint, new Checkpoint(original.config().toSpec("stories260K", 256),
                new Weights(pruned), List.of(), Map.of(PretrainedProvider.PATH, model.toString(),
                        PretrainedProvider.FORMAT, "llama2c")));
        Path out = dir.resolve("export").resolve("pruned.bin");
        CliRun r = CliRun.of("export", checkpoint.toString(), "--format", "llama2c", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out);
        PretrainedModel back = new Llama2cFormat().read(out);
        assertThat(back.config()).isEqualTo(original.config());
        pruned.forEach((name, t) -> assertThat(back.weights().get(name)).as(name).isEqualTo(t));
        assertThat(Files.readAllBytes(out.resolveSibling("tok512.bin")))
                .isEqualTo(Files.readAllBytes(model.resolveSibling("tok512.bin")));

        CliRun again = CliRun.of("export", checkpoint.toString(), "--format", "llama2c", "--out", out.toString());
        assertThat(again.status()).isNotZero();
        assertThat(again.err()).contains("exists");
        CliRun unknown = CliRun.of("export", model.toString(), "--format", "onnx", "--out", dir.resolve("m").toString());
        assertThat(unknown.status()).isNotZero();
        assertThat(unknown.err()).contains("no model format 'onnx'").contains("llama2c");
    }

    @Test
    void exportsStories260KToGgufAndHuggingFaceWithTheSameWeightsAndTokens() throws IOException {
        Path model = SharedStories260K.checkpoint();
        PretrainedModel original = new Llama2cFormat().read(model);
        for (String format : List.of("gguf", "huggingface")) {
            Path out = dir.resolve(format.equals("gguf") ? "stories260K.gguf" : "stories260K-hf");
            CliRun r = CliRun.of("export", model.toString(), "--format", format, "--out", out.toString());
            assertThat(r.status()).as(format + ": " + r.err()).isZero();
            PretrainedModel back = ModelFormats.detect(out).read(out);
            assertThat(back.format()).isEqualTo(format);
            assertThat(back.config().layers()).isEqualTo(original.config().layers());
            assertThat(back.config().kvHeads()).isEqualTo(original.config().kvHeads());
            original.weights().asMap().forEach((name, t) ->
                    assertThat(back.weights().get(name)).as(format + " " + name).isEqualTo(t));
            assertThat(back.tokenizer().encode("Once upon a time")).as(format)
                    .containsExactly(403, 407, 261, 378);
        }
    }
}
