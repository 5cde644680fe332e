package dev.bonsai.models.pretrained.llama2c;

import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.models.tokenizers.Llama2cTokenizerFile;
import dev.bonsai.models.tokenizers.SentencePieceBpe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A llama2.c checkpoint's tokenizer, read and written by {@link Llama2cTokenizerFile}: {@code tok<vocab>.bin} in
 * the checkpoint's folder (llama2.c's custom vocabularies, such as stories260K's {@code tok512.bin}), else
 * {@code tokenizer.bin} (the 32,000-piece LLaMA-2 vocabulary llama2.c ships).
 */
final class Llama2cTokenizers {

    private Llama2cTokenizers() {
    }

    /** The tokenizer file of the checkpoint at {@code model}, or an error naming the files looked for. */
    static Path find(Path model, int vocab) throws IOException {
        Path folder = model.toAbsolutePath().getParent();
        Path custom = folder.resolve("tok" + vocab + ".bin");
        if (Files.isRegularFile(custom)) {
            return custom;
        }
        Path standard = folder.resolve("tokenizer.bin");
        if (Files.isRegularFile(standard)) {
            return standard;
        }
        throw new IOException("llama2.c checkpoint " + model + " has no tokenizer beside it: put its " + custom
                .getFileName() + " (or " + standard.getFileName() + ") in " + folder);
    }

    /** The tokenizer beside the checkpoint at {@code model}: its first {@code vocab} pieces, as run.c reads them. */
    static Tokenizer beside(Path model, int vocab) throws IOException {
        return new SentencePieceBpe(Llama2cTokenizerFile.read(find(model, vocab), vocab));
    }

    /**
     * The bytes of the tokenizer file of {@code tokenizer}, which must be sentencepiece BPE over a scored vocabulary
     * (as llama2.c and GGUF models have).
     *
     * @throws IllegalArgumentException for another kind of tokenizer, naming it
     */
    static byte[] bytes(Tokenizer tokenizer) {
        if (!(tokenizer instanceof SentencePieceBpe bpe)) {
            throw new IllegalArgumentException("llama2.c stores a scored sentencepiece vocabulary, but this model's "
                    + "tokenizer is " + tokenizer.getClass().getSimpleName() + "; write it in a format that holds "
                    + "its tokenizer (huggingface)");
        }
        return Llama2cTokenizerFile.bytes(bpe.vocabulary());
    }
}
