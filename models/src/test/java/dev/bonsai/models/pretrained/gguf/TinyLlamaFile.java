package dev.bonsai.models.pretrained.gguf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A complete tiny {@code llama} GGUF for reader tests: vocabulary 6, width 8, one block, 2 query heads and 1
 * key/value head of width 4, MLP 32 (so an MLP matrix's rows are one Q8_0 block), untied output; F32 tensors of
 * random values, which tests may leave out or replace.
 */
final class TinyLlamaFile {
    static final int VOCAB = 6;
    static final int WIDTH = 8;
    static final int HEADS = 2;
    static final int KV_HEADS = 1;
    static final int HEAD_DIM = 4;
    static final int HIDDEN = 32;
    static final List<String> TOKENS = List.of("<unk>", "<s>", "</s>", "\u2581", "a", "\u2581a");
    static final float[] SCORES = {0f, 0f, 0f, -1f, -2f, -3f};
    static final int[] TYPES = {2, 3, 3, 1, 1, 1};

    /** Row-major shapes by GGUF name. */
    final Map<String, int[]> shapes = new LinkedHashMap<>();
    /** F32 values by GGUF name, as the file stores them (interleaved rotary rows). */
    final Map<String, float[]> values = new LinkedHashMap<>();

    TinyLlamaFile() {
        shapes.put("token_embd.weight", new int[] {VOCAB, WIDTH});
        shapes.put("blk.0.attn_norm.weight", new int[] {WIDTH});
        shapes.put("blk.0.attn_q.weight", new int[] {HEADS * HEAD_DIM, WIDTH});
        shapes.put("blk.0.attn_k.weight", new int[] {KV_HEADS * HEAD_DIM, WIDTH});
        shapes.put("blk.0.attn_v.weight", new int[] {KV_HEADS * HEAD_DIM, WIDTH});
        shapes.put("blk.0.attn_output.weight", new int[] {WIDTH, HEADS * HEAD_DIM});
        shapes.put("blk.0.ffn_norm.weight", new int[] {WIDTH});
        shapes.put("blk.0.ffn_gate.weight", new int[] {HIDDEN, WIDTH});
        shapes.put("blk.0.ffn_up.weight", new int[] {HIDDEN, WIDTH});
        shapes.put("blk.0.ffn_down.weight", new int[] {WIDTH, HIDDEN});
        shapes.put("output_norm.weight", new int[] {WIDTH});
        shapes.put("output.weight", new int[] {VOCAB, WIDTH});
        Random random = new Random(5);
        shapes.forEach((name, shape) -> {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) random.nextGaussian();
            }
            values.put(name, v);
        });
    }

    /** The metadata of architecture {@code architecture}, without tensors. */
    GgufBuilder metadata(String architecture) {
        return new GgufBuilder()
                .string("general.architecture", architecture)
                .string("general.name", "tiny")
                .u32("llama.context_length", 16)
                .u32("llama.embedding_length", WIDTH)
                .u32("llama.block_count", 1)
                .u32("llama.feed_forward_length", HIDDEN)
                .u32("llama.rope.dimension_count", HEAD_DIM)
                .u32("llama.attention.head_count", HEADS)
                .u32("llama.attention.head_count_kv", KV_HEADS)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .f32("llama.rope.freq_base", 500000f)
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", TOKENS)
                .floats("tokenizer.ggml.scores", SCORES)
                .ints("tokenizer.ggml.token_type", TYPES)
                .u32("tokenizer.ggml.bos_token_id", 1)
                .u32("tokenizer.ggml.eos_token_id", 2)
                .u32("tokenizer.ggml.unknown_token_id", 0);
    }

    /** Adds the F32 tensors, except those named in {@code leaveOut}, to {@code builder}. */
    GgufBuilder tensors(GgufBuilder builder, Set<String> leaveOut) {
        shapes.forEach((name, shape) -> {
            if (!leaveOut.contains(name)) {
                builder.f32Tensor(name, shape, values.get(name));
            }
        });
        return builder;
    }

    /** The whole file, all tensors F32. */
    byte[] bytes() {
        return tensors(metadata("llama"), Set.of()).build();
    }
}
