package dev.bonsai.datasets.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bonsai.models.tokenizers.Llama2cTokenizerFile;
import dev.bonsai.models.tokenizers.SentencePieceBpe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** stories260K's 512-piece tokenizer from the shared models beside the checkout; tests skip without it. */
final class Tok512 {
    private Tok512() {
    }

    static SentencePieceBpe tokenizer() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("shared/models/stories260K/tok512.bin");
            if (Files.isRegularFile(file)) {
                try {
                    return new SentencePieceBpe(Llama2cTokenizerFile.read(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        assumeTrue(false, "no shared/models/stories260K/tok512.bin above " + Path.of("").toAbsolutePath()
                + ": skipping the test in a real model's tokens");
        throw new AssertionError("unreachable");
    }
}
