package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.models.pretrained.ModelFormat;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.tokenizers.ScoredVocabulary;
import dev.bonsai.models.tokenizers.SentencePieceBpe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * GGUF, llama.cpp's single-file format, for models of architecture {@code llama} (LLaMA, Mistral and others
 * llama.cpp stores so) with a sentencepiece vocabulary ({@code tokenizer.ggml.model = llama}).
 *
 * <p><b>Reading</b> takes GGUF versions 2 and 3, little-endian, tensors in F32, F16, BF16 or Q8_0 (dequantised to
 * float32), and refuses, naming the file and what is wrong, before decoding any tensor: a truncated file, offsets
 * past its end, another architecture or tokenizer, rotary embeddings on part of a head, rotary scaling, mixture of
 * experts, another tensor type, and tensors missing, extra or shaped other than the metadata say. Metadata
 * {@code llama.*} give the {@link dev.bonsai.models.pretrained.DecoderConfig} ({@code rope.freq_base} 10000 when
 * absent); the output head is tied to the token embedding when the file has no {@code output.weight}. Tensors are
 * read one at a time from memory-mapped regions of the file and renamed to Bonsai's parameters
 * ({@code token_embd} → {@code embed}, {@code blk.N.attn_q|k|v|output} → {@code blocks.N.attn.q|k|v|o},
 * {@code blk.N.ffn_gate|up|down} → {@code blocks.N.mlp.gate|up|down}, {@code blk.N.attn_norm|ffn_norm} →
 * {@code blocks.N.attn_norm|mlp_norm}, {@code output_norm} → {@code norm}, {@code output} → {@code head}), query and
 * key rows moved from the interleaved to the half-split rotary order.
 *
 * <p><b>Writing</b> produces a GGUF version 3 file that llama.cpp loads: the {@code llama} metadata, the vocabulary
 * ({@code ▁} for spaces, scores, token types, special ids), 32-byte alignment, matrices in the chosen
 * {@link GgufPrecision} (F32 by default) and norms in F32, query and key rows back in the interleaved order. The file
 * is written beside the target and moved into place when complete; an existing target is refused. Written in F32,
 * a model reads back with identical tensors, configuration and vocabulary.
 */
public final class GgufFormat implements ModelFormat {
    /** The id descriptors use. */
    public static final String ID = "gguf";

    /** The format, as the service loader makes it. */
    public GgufFormat() {
    }

    @Override
    public String id() {
        return ID;
    }

    /** Whether {@code path} is a file starting with the GGUF magic bytes. */
    @Override
    public boolean recognizes(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            return GgufHeaderReader.hasMagic(ByteBuffer.wrap(in.readNBytes(4)));
        }
    }

    @Override
    public PretrainedModel read(Path path) throws IOException {
        GgufModel model = GgufModelReader.read(path);
        return new PretrainedModel(model.config(), model.weights(), new SentencePieceBpe(model.vocabulary()), ID);
    }

    /** Writes {@code model} with F32 matrices. */
    @Override
    public void write(PretrainedModel model, Path target) throws IOException {
        write(model, target, GgufPrecision.F32);
    }

    /**
     * Writes {@code model} to the new file {@code target} with matrices in {@code precision}.
     *
     * @throws IllegalArgumentException when the model is not of the {@code llama} kind (RMSNorm, SwiGLU, rotary
     *                                  positions, no biases) or its tokenizer is not a sentencepiece vocabulary
     * @throws java.nio.file.FileAlreadyExistsException when {@code target} exists
     */
    public void write(PretrainedModel model, Path target, GgufPrecision precision) throws IOException {
        String fileName = target.getFileName().toString();
        String name = fileName.endsWith(".gguf") ? fileName.substring(0, fileName.length() - 5) : fileName;
        GgufModelWriter.write(new GgufModel(name, model.config(), model.weights(), vocabulary(model.tokenizer())),
                target, precision.type());
    }

    private static ScoredVocabulary vocabulary(Tokenizer tokenizer) {
        if (tokenizer instanceof SentencePieceBpe bpe) {
            return bpe.vocabulary();
        }
        throw new IllegalArgumentException("a GGUF of architecture 'llama' holds a sentencepiece vocabulary, but the"
                + " model's tokenizer is a " + tokenizer.getClass().getSimpleName() + "; write the model in its"
                + " Hugging Face form instead");
    }
}
