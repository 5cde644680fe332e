package dev.bonsai.models.pretrained.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.SharedModels;
import dev.bonsai.models.tokenizers.ScoredVocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The random-weight llama-2-tiny-random.gguf staged with the shared models (its README states the figures checked
 * here): a GGUF v3 of F16 matrices and F32 norms, an untied output head and the 32,000-piece Llama-2 vocabulary.
 * Skipped with a message when the file is absent.
 */
class TinyRandomGgufTest {
    private static final String NAME = "llama-2-tiny-random.gguf";

    @TempDir
    Path dir;

    /** The file, or the test is skipped. */
    static Path file() {
        return SharedModels.folder("llama-2-tiny-random", NAME).resolve(NAME);
    }

    @Test
    void configurationAndShapesAreTheReadmes() throws IOException {
        GgufModel model = GgufModelReader.read(file());
        assertThat(model.config()).isEqualTo(new DecoderConfig("llama", 32000, 8, 1, 2, 2, 4, 32, 4096, 1e-5, true,
                10000, true, Activation.SILU, false, false, false, false, false));
        ModelSpec spec = model.config().toSpec("tiny", 4096);
        model.weights().checkMatches(spec);
        assertThat(model.weights().get("embed.weight").shape()).isEqualTo(Shape.of(32000, 8));
        assertThat(model.weights().get("head.weight").shape()).isEqualTo(Shape.of(32000, 8));
        assertThat(model.weights().get("blocks.0.mlp.down.weight").shape()).isEqualTo(Shape.of(8, 32));
        assertThat(model.weights().get("blocks.0.mlp.gate.weight").shape()).isEqualTo(Shape.of(32, 8));
        long parameters = model.weights().asMap().values().stream().mapToLong(Tensor::size).sum();
        assertThat(parameters).isEqualTo(513_048);
    }

    @Test
    void vocabularyIsLlamaTwos() throws IOException {
        ScoredVocabulary v = GgufModelReader.read(file()).vocabulary();
        assertThat(v.size()).isEqualTo(32000);
        assertThat(v.pieces().get(9038)).isEqualTo(" Once");
        assertThat(v.pieces().get(2501)).isEqualTo(" upon");
        assertThat(v.pieces().get(263)).isEqualTo(" a");
        assertThat(v.pieces().get(931)).isEqualTo(" time");
        assertThat(v.pieces().get(3)).isEqualTo("<0x00>");
        assertThat(new int[] {v.types()[0], v.types()[1], v.types()[2], v.types()[3], v.types()[9038]})
                .containsExactly(ScoredVocabulary.UNKNOWN, ScoredVocabulary.CONTROL, ScoredVocabulary.CONTROL,
                        ScoredVocabulary.BYTE, ScoredVocabulary.NORMAL);
        assertThat(new int[] {v.bos(), v.eos(), v.unk()}).containsExactly(1, 2, 0);
    }

    /** Its matrices are F16, so writing F16 again stores the same bits and reading gives the same floats. */
    @Test
    void rewritingAsF16GivesTheSameTensorsAndVocabulary() throws IOException {
        GgufModel model = GgufModelReader.read(file());
        Path copy = dir.resolve("copy.gguf");
        GgufModelWriter.write(model, copy, GgmlType.F16);
        GgufModel back = GgufModelReader.read(copy);
        assertThat(back.config()).isEqualTo(model.config());
        for (Map.Entry<String, Tensor> e : model.weights().asMap().entrySet()) {
            assertThat(back.weights().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(back.vocabulary().pieces()).isEqualTo(model.vocabulary().pieces());
        assertThat(back.vocabulary().scores()).containsExactly(model.vocabulary().scores());
        assertThat(back.vocabulary().types()).containsExactly(model.vocabulary().types());
        // Same layout as the original: 12 tensors, the same data size (F16 matrices, F32 norms).
        try (var a = java.nio.channels.FileChannel.open(file()); var b = java.nio.channels.FileChannel.open(copy)) {
            GgufHeader original = GgufHeaderReader.read(file(), a);
            GgufHeader rewritten = GgufHeaderReader.read(copy, b);
            assertThat(rewritten.tensors()).hasSize(12);
            assertThat(rewritten.fileSize() - rewritten.dataStart())
                    .isEqualTo(original.fileSize() - original.dataStart());
        }
    }
}
