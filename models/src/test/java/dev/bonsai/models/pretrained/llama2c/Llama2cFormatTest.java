package dev.bonsai.models.pretrained.llama2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.pretrained.SharedModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cFormatTest {
    private final Llama2cFormat format = new Llama2cFormat();

    @TempDir
    Path dir;

    @Test
    void readsStories260KHeaderAndEveryParameter() throws IOException {
        Path file = SharedModels.stories260K();
        assertThat(format.recognizes(file)).isTrue();
        assertThat(format.recognizes(file.resolveSibling("tok512.bin"))).isFalse();
        Llama2cFormat.Loaded loaded = Llama2cFormat.readWeights(file);
        DecoderConfig c = loaded.config();
        assertThat(List.of(c.vocab(), c.width(), c.layers(), c.heads(), c.kvHeads(), c.headDim(), c.hidden(),
                c.context())).containsExactly(512, 64, 5, 8, 4, 8, 172, 512);
        assertThat(c.tiedEmbeddings()).isTrue();
        assertThat(c.rmsNorm()).isTrue();
        assertThat(c.activation()).isEqualTo(Activation.SILU);
        loaded.weights().checkMatches(c.toSpec("stories260K", 256));
        long parameters = loaded.weights().asMap().values().stream().mapToLong(Tensor::size).sum();
        assertThat(parameters).isEqualTo(260_032L);
    }

    @Test
    void convertsQueryAndKeyRowsToHalfSplitAndLeavesTheRestInPlace() throws IOException {
        Path file = SharedModels.stories260K();
        Weights w = Llama2cFormat.readWeights(file).weights();
        float[] raw = rawFloats(file, 28);
        int d = 64;
        int wqLayer0 = 512 * d + 5 * d; // after the embedding and the five attention norms
        int wkLayer0 = wqLayer0 + 5 * d * d;
        float[] q = w.get("blocks.0.attn.q.weight").data();
        float[] k = w.get("blocks.0.attn.k.weight").data();
        for (int head = 0; head < 8; head++) {
            for (int i = 0; i < 4; i++) {
                assertRow(q, head * 8 + i, raw, wqLayer0, head * 8 + 2 * i, d);
                assertRow(q, head * 8 + 4 + i, raw, wqLayer0, head * 8 + 2 * i + 1, d);
                if (head < 4) {
                    assertRow(k, head * 8 + i, raw, wkLayer0, head * 8 + 2 * i, d);
                    assertRow(k, head * 8 + 4 + i, raw, wkLayer0, head * 8 + 2 * i + 1, d);
                }
            }
        }
        assertThat(w.get("embed.weight").data()).containsExactly(Arrays.copyOfRange(raw, 0, 512 * d));
        int wvLayer0 = wkLayer0 + 5 * 32 * d;
        assertThat(w.get("blocks.0.attn.v.weight").data())
                .containsExactly(Arrays.copyOfRange(raw, wvLayer0, wvLayer0 + 32 * d));
        int finalNorm = raw.length - 2 * 512 * 4 - d;
        assertThat(w.get("norm.weight").data()).containsExactly(Arrays.copyOfRange(raw, finalNorm, finalNorm + d));
    }

    @Test
    void writesStories260KBackByteForByte() throws IOException {
        Path file = SharedModels.stories260K();
        Llama2cFormat.Loaded loaded = Llama2cFormat.readWeights(file);
        Path out = dir.resolve("copy.bin");
        Files.copy(file.resolveSibling("tok512.bin"), dir.resolve("tok512.bin"));
        format.write(new PretrainedModel(loaded.config(), loaded.weights(), new Pieces(512), "llama2c"), out);
        byte[] original = Files.readAllBytes(file);
        byte[] written = Files.readAllBytes(out);
        assertThat(written).hasSameSizeAs(original);
        int tables = original.length - 2 * 512 * 4 * Float.BYTES;
        assertThat(Arrays.copyOf(written, tables)).isEqualTo(Arrays.copyOf(original, tables));
        float[] a = rawFloats(file, tables);
        float[] b = rawFloats(out, tables);
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).as("rotary table value %d", i).isCloseTo(a[i], org.assertj.core.data.Offset.offset(2e-6f));
        }
    }

    @Test
    void roundTripsBothLayoutsWithASeparateClassifier() throws IOException {
        DecoderConfig c = new DecoderConfig("llama", 16, 8, 2, 2, 1, 4, 12, 6, 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, false, false);
        Weights weights = random(c, 7);
        Files.write(dir.resolve("tok16.bin"), new byte[] {0, 0, 0, 0});
        for (int version : new int[] {0, 1}) {
            Path out = dir.resolve("v" + version + ".bin");
            format.write(new PretrainedModel(c, weights, new Pieces(16), "llama2c"), out, version);
            assertThat(format.recognizes(out)).isTrue();
            ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            if (version == 0) {
                assertThat(head.getInt(20)).as("legacy vocab_size, negative for a separate classifier").isEqualTo(-16);
            } else {
                assertThat(head.getInt(0)).isEqualTo(0x616b3432);
                assertThat(head.get(36)).as("shared-classifier flag").isEqualTo((byte) 0);
            }
            Llama2cFormat.Loaded back = Llama2cFormat.readWeights(out);
            assertThat(back.config()).isEqualTo(c);
            assertThat(back.weights().asMap().keySet()).containsExactlyInAnyOrderElementsOf(weights.asMap().keySet());
            weights.asMap().forEach((name, t) -> assertThat(back.weights().get(name)).as(name).isEqualTo(t));
        }
    }

    @Test
    void refusesTruncatedAndInconsistentFilesNamingTheByteCounts() throws IOException {
        Path file = SharedModels.stories260K();
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        assertThat(format.recognizes(truncated)).isFalse();
        assertThatThrownBy(() -> format.read(truncated)).isInstanceOf(IOException.class)
                .hasMessageContaining(truncated.toString()).hasMessageContaining("1056440 bytes")
                .hasMessageContaining("implies 1056540").hasMessageContaining("truncated");
        byte[] sixLayers = bytes.clone();
        ByteBuffer.wrap(sixLayers).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 6);
        Path inconsistent = dir.resolve("inconsistent.bin");
        Files.write(inconsistent, sixLayers);
        assertThatThrownBy(() -> Llama2cFormat.readWeights(inconsistent)).isInstanceOf(IOException.class)
                .hasMessageContaining(inconsistent.toString()).hasMessageContaining("6 layers")
                .hasMessageContaining("has 1056540 bytes");
        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[10]);
        assertThatThrownBy(() -> Llama2cFormat.readWeights(tiny)).hasMessageContaining("not a llama2.c checkpoint")
                .hasMessageContaining("10 bytes");
    }

    @Test
    void findsNoTokenizerWithAMessageNamingTheFilesLookedFor() throws IOException {
        DecoderConfig c = new DecoderConfig("llama", 16, 8, 1, 2, 2, 4, 12, 6, 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, true, false);
        Path sub = Files.createDirectories(dir.resolve("model"));
        Files.write(sub.resolve("tok16.bin"), new byte[] {0, 0, 0, 0});
        format.write(new PretrainedModel(c, random(c, 1), new Pieces(16), "llama2c"), sub.resolve("m.bin"));
        Files.delete(sub.resolve("tok16.bin"));
        assertThatThrownBy(() -> format.read(sub.resolve("m.bin"))).isInstanceOf(IOException.class)
                .hasMessageContaining("tok16.bin").hasMessageContaining("tokenizer.bin")
                .hasMessageContaining("no tokenizer");
    }

    @Test
    void refusesWhatLlama2cCannotHoldAndAnExistingTarget() throws IOException {
        DecoderConfig gpt2 = new DecoderConfig("gpt2", 16, 8, 1, 2, 2, 4, 12, 6, 1e-5, false, 0, false,
                Activation.GELU_TANH, true, true, true, true, true);
        assertThatThrownBy(() -> format.write(new PretrainedModel(gpt2, random(gpt2, 1), new Pieces(16), "x"),
                dir.resolve("gpt2.bin"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LayerNorm").hasMessageContaining("biases")
                .hasMessageContaining("learned positions").hasMessageContaining("SwiGLU");
        assertThat(dir.resolve("gpt2.bin")).doesNotExist();
        DecoderConfig c = new DecoderConfig("llama", 16, 8, 1, 2, 2, 4, 12, 6, 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, true, false);
        Path existing = Files.writeString(dir.resolve("taken.bin"), "keep me");
        assertThatThrownBy(() -> format.write(new PretrainedModel(c, random(c, 1), new Pieces(16), "x"), existing))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        assertThat(dir).isDirectoryNotContaining("glob:**.part");
        Path written = dir.resolve("fresh.bin");
        Files.write(dir.resolve("tok16.bin"), new byte[] {0, 0, 0, 0});
        format.write(new PretrainedModel(c, random(c, 1), new Pieces(16), "x"), written);
        Path plain = Files.write(dir.resolve("plain.bin"), new byte[1]);
        assertThat(Files.getPosixFilePermissions(written)).as("the permissions of any file the process writes")
                .isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void readsTheTokenizerBesideTheModelAndWritesItBesideACopy() throws IOException {
        Path file = SharedModels.stories260K();
        PretrainedModel model = format.read(file);
        assertThat(model.format()).isEqualTo("llama2c");
        assertThat(model.tokenizer().vocabularySize()).isEqualTo(512);
        assertThat(model.tokenizer().bos()).hasValue(1);
        assertThat(model.tokenizer().encode("Once upon a time")).containsExactly(403, 407, 261, 378);
        assertThat(model.tokenizer().piece(432)).isEqualTo(",");
        Path out = dir.resolve("exported").resolve("stories.bin");
        format.write(model, out, 1);
        assertThat(Files.readAllBytes(out.resolveSibling("tok512.bin")))
                .isEqualTo(Files.readAllBytes(file.resolveSibling("tok512.bin")));
        PretrainedModel back = format.read(out);
        assertThat(back.tokenizer().encode("Once upon a time")).containsExactly(403, 407, 261, 378);
        model.weights().asMap().forEach((name, t) -> assertThat(back.weights().get(name)).as(name).isEqualTo(t));
    }

    @Test
    void refusesATokenizerItCannotStoreAndLeavesNothing() {
        DecoderConfig c = new DecoderConfig("llama", 16, 8, 1, 2, 2, 4, 12, 6, 1e-5, true, 10000, true,
                Activation.SILU, false, false, false, true, false);
        Path out = dir.resolve("fresh").resolve("m.bin");
        assertThatThrownBy(() -> format.write(new PretrainedModel(c, random(c, 1), new Pieces(16), "x"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sentencepiece")
                .hasMessageContaining("Pieces");
        assertThat(out.getParent()).doesNotExist();
    }

    private static void assertRow(float[] bonsai, int bonsaiRow, float[] raw, int offset, int fileRow, int cols) {
        assertThat(Arrays.copyOfRange(bonsai, bonsaiRow * cols, (bonsaiRow + 1) * cols))
                .as("half-split row %d = interleaved row %d", bonsaiRow, fileRow)
                .containsExactly(Arrays.copyOfRange(raw, offset + fileRow * cols, offset + (fileRow + 1) * cols));
    }

    private static float[] rawFloats(Path file, int from) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        float[] f = new float[(bytes.length - from) / 4];
        ByteBuffer.wrap(bytes, from, bytes.length - from).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static Weights random(DecoderConfig c, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (ParameterSpec p : c.toSpec("m", c.context()).parameters().values()) {
            float[] data = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) r.nextGaussian();
            }
            map.put(p.name(), new Tensor(p.shape(), data));
        }
        return new Weights(map);
    }

    /** A tokenizer of {@code n} ids for writing weights; its text is never read here. */
    private record Pieces(int vocabularySize) implements Tokenizer {
        @Override
        public int[] encode(String text) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public String decode(int[] ids) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public String piece(int id) {
            return "p" + id;
        }

        @Override
        public OptionalInt bos() {
            return OptionalInt.of(1);
        }

        @Override
        public OptionalInt eos() {
            return OptionalInt.of(2);
        }
    }
}
