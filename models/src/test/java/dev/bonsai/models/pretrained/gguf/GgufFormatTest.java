package dev.bonsai.models.pretrained.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.models.pretrained.HalfFloat;
import dev.bonsai.models.pretrained.ModelFormat;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.tokenizers.SentencePieceBpe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFormatTest {
    @TempDir
    Path dir;

    private final TinyLlamaFile tiny = new TinyLlamaFile();

    @Test
    void isAServiceWithIdGguf() {
        assertThat(ServiceLoader.load(ModelFormat.class).stream().map(p -> p.get().id())
                .collect(Collectors.toList())).contains("gguf");
    }

    @Test
    void recognisesFilesByTheirMagicBytes() throws IOException {
        GgufFormat format = new GgufFormat();
        Path gguf = Files.write(dir.resolve("model.bin"), tiny.bytes());
        assertThat(format.recognizes(gguf)).isTrue();
        assertThat(format.recognizes(Files.write(dir.resolve("other.gguf"), new byte[] {'G', 'G', 'U', 'X', 3})))
                .isFalse();
        assertThat(format.recognizes(Files.write(dir.resolve("short.gguf"), new byte[] {'G', 'G'}))).isFalse();
        assertThat(format.recognizes(dir)).isFalse();
        assertThat(format.recognizes(dir.resolve("absent.gguf"))).isFalse();
    }

    @Test
    void readsTheModelWithASentencepieceTokenizer() throws IOException {
        PretrainedModel model = new GgufFormat().read(Files.write(dir.resolve("tiny.gguf"), tiny.bytes()));
        assertThat(model.format()).isEqualTo("gguf");
        assertThat(model.config().vocab()).isEqualTo(6);
        Tokenizer tokenizer = model.tokenizer();
        assertThat(tokenizer.vocabularySize()).isEqualTo(6);
        assertThat(tokenizer.bos()).isEqualTo(OptionalInt.of(1));
        assertThat(tokenizer.eos()).isEqualTo(OptionalInt.of(2));
        // The dummy prefix " " and "a" merge into " a"; a second "a" stays alone.
        assertThat(tokenizer.encode("aa")).containsExactly(5, 4);
        assertThat(tokenizer.decode(new int[] {1, 5, 4})).isEqualTo("aa");
        assertThat(tokenizer.piece(5)).isEqualTo(" a");
    }

    @Test
    void writesWhatItReadsInEitherPrecision() throws IOException {
        GgufFormat format = new GgufFormat();
        PretrainedModel model = format.read(Files.write(dir.resolve("tiny.gguf"), tiny.bytes()));
        Path f32 = dir.resolve("copy.gguf");
        format.write(model, f32);
        PretrainedModel back = format.read(f32);
        assertThat(back.config()).isEqualTo(model.config());
        assertThat(back.weights().asMap()).isEqualTo(model.weights().asMap());
        assertThat(((SentencePieceBpe) back.tokenizer()).vocabulary().pieces())
                .isEqualTo(((SentencePieceBpe) model.tokenizer()).vocabulary().pieces());
        assertThat(GgufModelReader.read(f32).name()).isEqualTo("copy");

        Path f16 = dir.resolve("half.gguf");
        format.write(model, f16, GgufPrecision.F16);
        assertThat(Files.size(f16)).isLessThan(Files.size(f32));
        float[] original = model.weights().get("blocks.0.mlp.up.weight").data();
        float[] half = format.read(f16).weights().get("blocks.0.mlp.up.weight").data();
        assertThat(half[5]).isEqualTo(HalfFloat.toFloat(HalfFloat.fromFloat(original[5])));
    }

    @Test
    void refusesATokenizerWithoutASentencepieceVocabulary() throws IOException {
        PretrainedModel model = new GgufFormat().read(Files.write(dir.resolve("tiny.gguf"), tiny.bytes()));
        Tokenizer other = new Tokenizer() {
            public int vocabularySize() {
                return 6;
            }

            public int[] encode(String text) {
                return new int[0];
            }

            public String decode(int[] ids) {
                return "";
            }

            public String piece(int id) {
                return "";
            }

            public OptionalInt bos() {
                return OptionalInt.empty();
            }

            public OptionalInt eos() {
                return OptionalInt.empty();
            }
        };
        PretrainedModel foreign = new PretrainedModel(model.config(), model.weights(), other, "huggingface");
        Path target = dir.resolve("foreign.gguf");
        assertThatThrownBy(() -> new GgufFormat().write(foreign, target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a sentencepiece vocabulary");
        assertThat(target).doesNotExist();
    }
}
