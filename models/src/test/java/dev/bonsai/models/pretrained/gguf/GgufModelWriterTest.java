package dev.bonsai.models.pretrained.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.HalfFloat;
import dev.bonsai.models.tokenizers.ScoredVocabulary;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufModelWriterTest {
    @TempDir
    Path dir;

    /** GQA (4 heads, 2 key/value heads of width 6, wider than width / heads), two blocks, untied. */
    private static final DecoderConfig CONFIG = new DecoderConfig("llama", 7, 20, 2, 4, 2, 6, 40, 64, 1e-6, true,
            10000, true, Activation.SILU, false, false, false, false, false);
    private static final ScoredVocabulary VOCABULARY = new ScoredVocabulary(
            List.of("<unk>", "<s>", "</s>", " the", "<0x0A>", "é", " a b"),
            new float[] {0f, 0f, 0f, -1.5f, 0f, -7.25f, -3f}, new int[] {2, 3, 3, 1, 6, 1, 4}, 1, 2, 0);

    @Test
    void f32RoundTripGivesIdenticalTensorsConfigurationAndVocabulary() throws IOException {
        GgufModel model = model(CONFIG, 1);
        Path file = dir.resolve("model.gguf");
        GgufModelWriter.write(model, file, GgmlType.F32);

        GgufModel read = GgufModelReader.read(file);
        assertThat(read.name()).isEqualTo("round-trip");
        assertThat(read.config()).isEqualTo(CONFIG);
        assertThat(read.weights().asMap()).isEqualTo(model.weights().asMap());
        assertThat(read.vocabulary().pieces()).isEqualTo(VOCABULARY.pieces());
        assertThat(read.vocabulary().scores()).containsExactly(VOCABULARY.scores());
        assertThat(read.vocabulary().types()).containsExactly(VOCABULARY.types());
        assertThat(List.of(read.vocabulary().bos(), read.vocabulary().eos(), read.vocabulary().unk()))
                .containsExactly(1, 2, 0);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        // The finished file has the permissions of any new file here, not a temporary file's owner-only ones.
        Path plain = Files.createFile(dir.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void theFileStoresInterleavedRowsAndLlamaCppMetadata() throws IOException {
        GgufModel model = model(CONFIG, 2);
        Path file = dir.resolve("model.gguf");
        GgufModelWriter.write(model, file, GgmlType.F32);
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            GgufHeader header = GgufHeaderReader.read(file, channel);
            assertThat(header.version()).isEqualTo(3);
            assertThat(header.alignment()).isEqualTo(32);
            GgufMetadata m = header.metadata();
            assertThat(m.string("general.architecture")).isEqualTo("llama");
            assertThat(m.positiveInt("llama.attention.head_count_kv")).isEqualTo(2);
            assertThat(m.positiveInt("llama.rope.dimension_count")).isEqualTo(6);
            assertThat(m.positiveInt("llama.attention.key_length")).isEqualTo(6);
            assertThat(m.strings("tokenizer.ggml.tokens")).contains("\u2581the", "\u2581a\u2581b");
            for (GgufTensorInfo t : header.tensors()) {
                assertThat(header.position(t) % 32).as(t.name()).isZero();
            }
            GgufTensorInfo k = header.tensors().stream().filter(t -> t.name().equals("blk.1.attn_k.weight"))
                    .findFirst().orElseThrow();
            float[] stored = GgufTensorDecoder.decode(header, k,
                    channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, header.position(k), k.bytes()));
            // Interleaved row 1 of head 1 (row 6 + 1) is half-split row 6 + 3 = 9.
            float[] halfSplit = model.weights().get("blocks.1.attn.k.weight").data();
            for (int c = 0; c < 20; c++) {
                assertThat(stored[7 * 20 + c]).isEqualTo(halfSplit[9 * 20 + c]);
            }
        }
    }

    @Test
    void f16StoresMatricesRoundedToHalvesAndNormsExactly() throws IOException {
        GgufModel model = model(CONFIG, 3);
        Path file = dir.resolve("half.gguf");
        GgufModelWriter.write(model, file, GgmlType.F16);
        GgufModel read = GgufModelReader.read(file);
        assertThat(Files.size(file)).isLessThan(Files.size(write(model, "full.gguf")));
        for (Map.Entry<String, Tensor> e : model.weights().asMap().entrySet()) {
            float[] original = e.getValue().data();
            float[] back = read.weights().get(e.getKey()).data();
            for (int i = 0; i < original.length; i++) {
                float expected = e.getValue().shape().rank() == 2
                        ? HalfFloat.toFloat(HalfFloat.fromFloat(original[i])) : original[i];
                assertThat(back[i]).as("%s[%d]", e.getKey(), i).isEqualTo(expected);
            }
        }
    }

    @Test
    void tiedEmbeddingsWriteNoOutputTensor() throws IOException {
        DecoderConfig tied = new DecoderConfig("llama", 7, 24, 1, 4, 4, 6, 40, 64, 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, true, false);
        GgufModel model = model(tied, 4);
        GgufModel read = GgufModelReader.read(write(model, "tied.gguf"));
        assertThat(read.config()).isEqualTo(tied);
        assertThat(read.weights().asMap()).isEqualTo(model.weights().asMap());
    }

    @Test
    void refusesAnExistingTargetAndLeavesItAlone() throws IOException {
        Path file = dir.resolve("taken.gguf");
        Files.writeString(file, "keep");
        assertThatThrownBy(() -> GgufModelWriter.write(model(CONFIG, 5), file, GgmlType.F32))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("taken.gguf");
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    @Test
    void refusesWhatTheLlamaArchitectureCannotHold() {
        DecoderConfig gpt2 = new DecoderConfig("gpt2", 7, 24, 1, 4, 4, 6, 40, 64, 1e-5, false, 0, false,
                Activation.GELU_TANH, true, true, true, true, true);
        assertThatThrownBy(() -> GgufModelWriter.write(model(gpt2, 6), dir.resolve("g.gguf"), GgmlType.F32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a gpt2 model with LayerNorm instead of RMSNorm cannot be written");
        assertThatThrownBy(() -> GgufModelWriter.write(model(CONFIG, 7), dir.resolve("q.gguf"), GgmlType.Q8_0))
                .hasMessageContaining("F32 or F16, not Q8_0");
        assertThat(dir.resolve("g.gguf")).doesNotExist();
    }

    private Path write(GgufModel model, String name) throws IOException {
        Path file = dir.resolve(name);
        GgufModelWriter.write(model, file, GgmlType.F32);
        return file;
    }

    private static GgufModel model(DecoderConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParameterSpec p : config.toSpec("m", 8).parameters().values()) {
            float[] data = new float[Math.toIntExact(p.shape().size())];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            tensors.put(p.name(), new Tensor(p.shape(), data));
        }
        return new GgufModel("round-trip", config, new Weights(tensors), VOCABULARY);
    }
}
