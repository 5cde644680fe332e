package dev.bonsai.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.PretrainedParts;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.llama2c.Llama2cFormat;
import dev.bonsai.models.tokenizers.ScoredVocabulary;
import dev.bonsai.models.tokenizers.SentencePieceBpe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedProviderTest {
    private static final int VOCAB = 262;
    private final PretrainedProvider provider = new PretrainedProvider();

    @TempDir
    Path dir;

    @Test
    void detectsTheFormatAndBuildsTheSpecForTheDatasetsWindows() throws IOException {
        Path file = writeModel(dir.resolve("tiny.bin"));
        PretrainedOptions options = new PretrainedOptions(file.toString(), "auto", 0);
        ModelSpec spec = provider.build(options, windows(5));
        assertThat(spec.name()).isEqualTo("tiny");
        assertThat(spec.inputShape()).isEqualTo(Shape.of(5));
        assertThat(spec.layers().get(spec.layers().size() - 1)).isInstanceOf(LayerSpec.TiedOutput.class);
        PretrainedParts parts = provider.pretrained(options).orElseThrow();
        parts.weights().checkMatches(spec);
        assertThat(parts.context()).isEqualTo(8);
        assertThat(parts.tokenizer().vocabularySize()).isEqualTo(VOCAB);
        assertThat(parts.provenance()).containsEntry(PretrainedProvider.FORMAT, "llama2c")
                .containsEntry(PretrainedProvider.PATH, file.toAbsolutePath().toString())
                .containsKey(PretrainedProvider.SHA256);
        assertThat(provider.pretrained(new PretrainedOptions(file.toString(), "llama2c", 6)).orElseThrow()
                .context()).isEqualTo(6);
    }

    @Test
    void refusesWindowsLongerThanTheContextAContextAboveTheModelsAndAMissingPath() throws IOException {
        Path file = writeModel(dir.resolve("tiny.bin"));
        assertThatThrownBy(() -> provider.build(new PretrainedOptions(file.toString(), "auto", 4), windows(5)))
                .hasMessageContaining("windows of 5 tokens").hasMessageContaining("at most 4");
        assertThatThrownBy(() -> provider.pretrained(new PretrainedOptions(file.toString(), "auto", 9)))
                .hasMessageContaining("context 9 exceeds the 8 positions");
        assertThatThrownBy(() -> provider.build(new PretrainedOptions(dir.resolve("none.bin").toString(), "auto", 0),
                windows(5))).hasMessageContaining("does not exist").hasMessageContaining("none.bin");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a model");
        assertThatThrownBy(() -> provider.build(new PretrainedOptions(text.toString(), "auto", 0), windows(5)))
                .hasMessageContaining("none of the model formats").hasMessageContaining("llama2c");
        assertThatThrownBy(() -> provider.build(new PretrainedOptions(file.toString(), "onnx", 0), windows(5)))
                .hasMessageContaining("no model format 'onnx'");
    }

    @Test
    void readsStories260KWithItsTokenizer() {
        Path file = SharedModels.stories260K();
        PretrainedOptions options = new PretrainedOptions(file.toString(), "auto", 256);
        PretrainedParts parts = provider.pretrained(options).orElseThrow();
        assertThat(parts.context()).isEqualTo(256);
        assertThat(parts.tokenizer().encode("Once upon a time")).containsExactly(403, 407, 261, 378);
        assertThat(parts.provenance()).containsEntry(PretrainedProvider.SHA256,
                "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696");
        ModelSpec spec = provider.build(options, new DatasetInfo("tinystories", Shape.of(255), 512, Map.of(),
                List.of()));
        parts.weights().checkMatches(spec);
    }

    private static DatasetInfo windows(int length) {
        return new DatasetInfo("text", Shape.of(length), VOCAB, Map.of(), List.of());
    }

    /** A random llama2.c model of {@link #VOCAB} tokens with a byte-fallback vocabulary beside it. */
    private static Path writeModel(Path file) throws IOException {
        DecoderConfig c = new DecoderConfig("llama", VOCAB, 8, 1, 2, 1, 4, 12, 8, 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, true, false);
        Random r = new Random(3);
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (ParameterSpec p : c.toSpec("m", 8).parameters().values()) {
            float[] data = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) r.nextGaussian();
            }
            map.put(p.name(), new Tensor(p.shape(), data));
        }
        List<String> pieces = new ArrayList<>(List.of("<unk>", "\n<s>\n", "\n</s>\n"));
        for (int b = 0; b < 256; b++) {
            pieces.add(SentencePieceBpe.bytePiece(b));
        }
        pieces.addAll(List.of(" ", "a", " a"));
        float[] scores = new float[VOCAB];
        int[] types = new int[VOCAB];
        java.util.Arrays.fill(types, ScoredVocabulary.NORMAL);
        ScoredVocabulary v = new ScoredVocabulary(pieces, scores, types, 1, 2, 0);
        new Llama2cFormat().write(new PretrainedModel(c, new Weights(map), new SentencePieceBpe(v), "llama2c"), file);
        return file;
    }
}
