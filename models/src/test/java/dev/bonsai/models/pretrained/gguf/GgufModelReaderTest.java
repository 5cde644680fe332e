package dev.bonsai.models.pretrained.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.Shape;
import dev.bonsai.models.pretrained.DecoderConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufModelReaderTest {
    @TempDir
    Path dir;

    private final TinyLlamaFile tiny = new TinyLlamaFile();

    @Test
    void readsConfigurationVocabularyAndTensors() throws IOException {
        GgufModel model = GgufModelReader.read(write("tiny.gguf", tiny.bytes()));

        assertThat(model.name()).isEqualTo("tiny");
        assertThat(model.config()).isEqualTo(new DecoderConfig("llama", 6, 8, 1, 2, 1, 4, 32, 16, 1e-5, true, 500000,
                true, Activation.SILU, false, false, false, false, false));
        assertThat(model.vocabulary().pieces()).containsExactly("<unk>", "<s>", "</s>", " ", "a", " a");
        assertThat(model.vocabulary().scores()).containsExactly(TinyLlamaFile.SCORES);
        assertThat(model.vocabulary().types()).containsExactly(TinyLlamaFile.TYPES);
        assertThat(List.of(model.vocabulary().bos(), model.vocabulary().eos(), model.vocabulary().unk()))
                .containsExactly(1, 2, 0);
        assertThat(model.weights().asMap().keySet()).containsExactly("embed.weight", "blocks.0.attn_norm.weight",
                "blocks.0.attn.q.weight", "blocks.0.attn.k.weight", "blocks.0.attn.v.weight", "blocks.0.attn.o.weight",
                "blocks.0.mlp_norm.weight", "blocks.0.mlp.gate.weight", "blocks.0.mlp.up.weight",
                "blocks.0.mlp.down.weight", "norm.weight", "head.weight");
        model.weights().checkMatches(model.config().toSpec("tiny", 16));
        assertThat(model.weights().get("blocks.0.mlp.down.weight").data())
                .containsExactly(tiny.values.get("blk.0.ffn_down.weight"));
        assertThat(model.weights().get("head.weight").data()).containsExactly(tiny.values.get("output.weight"));
    }

    @Test
    void queryAndKeyRowsComeInTheHalfSplitOrder() throws IOException {
        GgufModel model = GgufModelReader.read(write("tiny.gguf", tiny.bytes()));
        float[] q = tiny.values.get("blk.0.attn_q.weight");
        float[] k = tiny.values.get("blk.0.attn_k.weight");
        float[] readQ = model.weights().get("blocks.0.attn.q.weight").data();
        float[] readK = model.weights().get("blocks.0.attn.k.weight").data();
        // Heads of width 4: half-split rows 0, 1, 2, 3 of a head are interleaved rows 0, 2, 1, 3.
        int[] source = {0, 2, 1, 3, 4, 6, 5, 7};
        for (int row = 0; row < 8; row++) {
            assertThat(Arrays.copyOfRange(readQ, row * 8, row * 8 + 8)).as("q row %d", row)
                    .containsExactly(Arrays.copyOfRange(q, source[row] * 8, source[row] * 8 + 8));
        }
        for (int row = 0; row < 4; row++) {
            assertThat(Arrays.copyOfRange(readK, row * 8, row * 8 + 8)).as("k row %d", row)
                    .containsExactly(Arrays.copyOfRange(k, source[row] * 8, source[row] * 8 + 8));
        }
        assertThat(model.weights().get("blocks.0.attn.v.weight").data())
                .containsExactly(tiny.values.get("blk.0.attn_v.weight"));
    }

    @Test
    void dequantisesQ8ZeroByHand() throws IOException {
        // ffn_down is [8, 32] row-major: ne = [32, 8], one Q8_0 block of 32 per row.
        short[] scales = {0x3800, (short) 0xBC00, 0x2C00, 0x3C00}; // 0.5, −1, 0.0625, 1
        float[] scaleValues = {0.5f, -1f, 0.0625f, 1f};
        ByteBuffer data = ByteBuffer.allocate(8 * 34).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[8 * 32];
        for (int b = 0; b < 8; b++) {
            data.putShort(scales[b % 4]);
            for (int j = 0; j < 32; j++) {
                byte q = (byte) (j * 8 - 128 + b);
                data.put(q);
                expected[b * 32 + j] = scaleValues[b % 4] * q;
            }
        }
        GgufBuilder file = tiny.tensors(tiny.metadata("llama"), Set.of("blk.0.ffn_down.weight"))
                .tensor("blk.0.ffn_down.weight", new long[] {32, 8}, 8, data.array());
        GgufModel model = GgufModelReader.read(write("q8.gguf", file.build()));
        assertThat(model.weights().get("blocks.0.mlp.down.weight").data()).containsExactly(expected);
        assertThat(expected[0]).isEqualTo(-64f);
        assertThat(expected[32 + 31]).isEqualTo(-121f);
    }

    @Test
    void widensBfloat16() throws IOException {
        // ffn_up is [32, 8] row-major: ne = [8, 32].
        ByteBuffer data = ByteBuffer.allocate(2 * 256).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[256];
        short[] known = {0x3F80, (short) 0xC020, 0x3E20, 0x0000};
        float[] knownValues = {1f, -2.5f, 0.15625f, 0f};
        for (int i = 0; i < 256; i++) {
            data.putShort(known[i % 4]);
            expected[i] = knownValues[i % 4];
        }
        GgufBuilder file = tiny.tensors(tiny.metadata("llama"), Set.of("blk.0.ffn_up.weight"))
                .tensor("blk.0.ffn_up.weight", new long[] {8, 32}, 30, data.array());
        GgufModel model = GgufModelReader.read(write("bf16.gguf", file.build()));
        assertThat(model.weights().get("blocks.0.mlp.up.weight").data()).containsExactly(expected);
    }

    @Test
    void aMissingOutputTensorMeansTiedEmbeddings() throws IOException {
        GgufBuilder file = tiny.tensors(tiny.metadata("llama"), Set.of("output.weight"));
        GgufModel model = GgufModelReader.read(write("tied.gguf", file.build()));
        assertThat(model.config().tiedEmbeddings()).isTrue();
        assertThat(model.weights().contains("head.weight")).isFalse();
    }

    @Test
    void readsVersionTwo() throws IOException {
        GgufBuilder file = tiny.tensors(tiny.metadata("llama").version(2), Set.of());
        assertThat(GgufModelReader.read(write("v2.gguf", file.build())).config().width()).isEqualTo(8);
    }

    @Test
    void honoursTheAlignmentKey() throws IOException {
        GgufBuilder file = tiny.tensors(tiny.metadata("llama").alignment(64), Set.of());
        GgufModel model = GgufModelReader.read(write("a64.gguf", file.build()));
        assertThat(model.weights().get("norm.weight").data()).containsExactly(tiny.values.get("output_norm.weight"));
    }

    @Test
    void refusesEveryTruncationNamingTheFile() throws IOException {
        byte[] whole = tiny.bytes();
        // Cut inside the magic, the counts, the metadata, the tensor infos and the data.
        for (int length : new int[] {2, 10, 100, whole.length / 2, whole.length - 1}) {
            Path file = write("cut" + length + ".gguf", Arrays.copyOf(whole, length));
            assertThatThrownBy(() -> GgufModelReader.read(file)).as("cut at %d", length)
                    .isInstanceOf(BonsaiException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void refusesAnOffsetPastTheEnd() throws IOException {
        GgufBuilder file = tiny.tensors(tiny.metadata("llama"), Set.of("output_norm.weight"))
                .tensor("output_norm.weight", new long[] {8}, 0, new byte[32]);
        byte[] bytes = file.build();
        // The last tensor's offset is the last u64 before the data; point it far beyond the file.
        int infoEnd = indexOf(bytes, "output_norm.weight".getBytes()) + "output_norm.weight".length() + 4 + 8 + 4;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(infoEnd, 1L << 20);
        Path path = write("offset.gguf", bytes);
        assertThatThrownBy(() -> GgufModelReader.read(path)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("tensor 'output_norm.weight' (F32 [8]) spans bytes")
                .hasMessageContaining("truncated or its offsets are corrupt");
    }

    @Test
    void refusesRowsThatAreNotWholeBlocks() throws IOException {
        // attn_v is [4, 8] row-major; as Q4_K its rows of 8 would be fractions of a 256-element block.
        GgufBuilder file = tiny.tensors(tiny.metadata("llama"), Set.of("blk.0.attn_v.weight"))
                .tensor("blk.0.attn_v.weight", new long[] {8, 4}, 12, new byte[144]);
        Path path = write("rows.gguf", file.build());
        assertThatThrownBy(() -> GgufModelReader.read(path)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("tensor 'blk.0.attn_v.weight' has rows of 8 elements, not a whole number of"
                        + " Q4_K blocks of 256");
    }

    @Test
    void refusesAQ4KTensorByNameTypeAndRemedy() throws IOException {
        // A Q4_K token embedding of 256 columns, with the width set to 256 so only the type is wrong.
        GgufBuilder file = new GgufBuilder()
                .string("general.architecture", "llama")
                .u32("llama.context_length", 16)
                .u32("llama.embedding_length", 256)
                .u32("llama.block_count", 1)
                .u32("llama.feed_forward_length", 32)
                .u32("llama.attention.head_count", 2)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", TinyLlamaFile.TOKENS)
                .tensor("token_embd.weight", new long[] {256, 6}, 12, new byte[6 * 144]);
        Path path = write("q4k.gguf", file.build());
        assertThatThrownBy(() -> GgufModelReader.read(path)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("tensor 'token_embd.weight' has type Q4_K")
                .hasMessageContaining("F32, F16, BF16 and Q8_0")
                .hasMessageContaining("--outtype f16");
    }

    @Test
    void refusesAnotherArchitectureByName() throws IOException {
        Path path = write("qwen.gguf", tiny.tensors(tiny.metadata("qwen2"), Set.of()).build());
        assertThatThrownBy(() -> GgufModelReader.read(path)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("architecture 'qwen2'");
    }

    @Test
    void refusesDuplicateKeys() throws IOException {
        Path path = write("twice.gguf", tiny.tensors(tiny.metadata("llama")
                .u32("llama.rope.dimension_count", 1), Set.of()).build());
        assertThatThrownBy(() -> GgufModelReader.read(path)).hasMessageContaining(path.toString())
                .hasMessageContaining("metadata key 'llama.rope.dimension_count' appears twice");
    }

    @Test
    void refusesPartialRotaryEmbeddings() throws IOException {
        GgufBuilder file = new GgufBuilder().string("general.architecture", "llama")
                .u32("llama.context_length", 16).u32("llama.embedding_length", 4).u32("llama.block_count", 1)
                .u32("llama.feed_forward_length", 32).u32("llama.attention.head_count", 1)
                .u32("llama.rope.dimension_count", 2)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .f32Tensor("token_embd.weight", new int[] {6, 4}, new float[24]);
        Path partial = write("partial.gguf", file.build());
        assertThatThrownBy(() -> GgufModelReader.read(partial)).hasMessageContaining(partial.toString())
                .hasMessageContaining("llama.rope.dimension_count is 2 but heads are 4 wide");
    }

    @Test
    void refusesTensorsInconsistentWithTheConfiguration() throws IOException {
        GgufBuilder file = tiny.tensors(tiny.metadata("llama"), Set.of("blk.0.ffn_gate.weight"))
                .f32Tensor("blk.0.ffn_gate.weight", new int[] {16, 8}, new float[128]);
        Path path = write("shape.gguf", file.build());
        assertThatThrownBy(() -> GgufModelReader.read(path)).hasMessageContaining(path.toString())
                .hasMessageContaining("tensor 'blk.0.ffn_gate.weight' has dimensions [8, 16] (row-major [16, 8])")
                .hasMessageContaining("metadata make it [32, 8]");
        Path missing = write("missing.gguf", tiny.tensors(tiny.metadata("llama"), Set.of("blk.0.attn_k.weight"))
                .build());
        assertThatThrownBy(() -> GgufModelReader.read(missing))
                .hasMessageContaining("tensor 'blk.0.attn_k.weight' is missing");
        Path vocab = write("vocab.gguf", tiny.tensors(tiny.metadata("llama").u32("llama.vocab_size", 7), Set.of())
                .build());
        assertThatThrownBy(() -> GgufModelReader.read(vocab))
                .hasMessageContaining("llama.vocab_size is 7 but token_embd.weight has 6 rows");
        Path extra = write("extra.gguf", tiny.tensors(tiny.metadata("llama"), Set.of())
                .f32Tensor("rope_freqs.weight", new int[] {1}, new float[1]).build());
        assertThatThrownBy(() -> GgufModelReader.read(extra))
                .hasMessageContaining("tensor 'rope_freqs.weight'")
                .hasMessageContaining("not supported");
    }

    @Test
    void refusesMissingMetadataNamingTheKey() throws IOException {
        GgufBuilder file = new GgufBuilder().string("general.architecture", "llama")
                .u32("llama.embedding_length", 8).u32("llama.block_count", 1).u32("llama.feed_forward_length", 32)
                .u32("llama.attention.head_count", 2).f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .f32Tensor("token_embd.weight", new int[] {6, 8}, new float[48]);
        Path path = write("nocontext.gguf", file.build());
        assertThatThrownBy(() -> GgufModelReader.read(path)).hasMessageContaining(path.toString())
                .hasMessageContaining("metadata key 'llama.context_length' is missing");
    }

    @Test
    void refusesAnotherTokenizerModel() throws IOException {
        byte[] bytes = tiny.tensors(tiny.metadata("llama"), Set.of()).build();
        // Replace the tokenizer model's value "llama" by "gpt2x" (same length) in place.
        int at = indexOf(bytes, "tokenizer.ggml.model".getBytes()) + "tokenizer.ggml.model".length() + 4 + 8;
        System.arraycopy("gpt2x".getBytes(), 0, bytes, at, 5);
        Path path = write("gpt2tok.gguf", bytes);
        assertThatThrownBy(() -> GgufModelReader.read(path)).hasMessageContaining(path.toString())
                .hasMessageContaining("its tokenizer is 'gpt2x'");
    }

    @Test
    void refusesOtherFiles() throws IOException {
        Path notGguf = write("model.bin", new byte[64]);
        assertThatThrownBy(() -> GgufModelReader.read(notGguf)).hasMessageContaining("not a GGUF file");
        byte[] v1 = tiny.bytes();
        v1[4] = 1;
        Path old = write("v1.gguf", v1);
        assertThatThrownBy(() -> GgufModelReader.read(old)).hasMessageContaining("GGUF version 1");
        byte[] big = tiny.bytes();
        big[4] = 0;
        big[7] = 3;
        Path bigEndian = write("be.gguf", big);
        assertThatThrownBy(() -> GgufModelReader.read(bigEndian)).hasMessageContaining("big-endian");
        assertThatThrownBy(() -> GgufModelReader.read(dir.resolve("absent.gguf")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void tensorInfoShapesAreTheReverseOfNe() {
        GgufTensorInfo info = new GgufTensorInfo("t", new long[] {8, 32000}, GgmlType.F16, 0);
        assertThat(info.shape()).isEqualTo(Shape.of(32000, 8));
        assertThat(info.bytes()).isEqualTo(2L * 8 * 32000);
        assertThat(new GgufTensorInfo("q", new long[] {64, 3}, GgmlType.Q8_0, 0).bytes()).isEqualTo(6 * 34);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
