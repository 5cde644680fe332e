package dev.bonsai.models.tokenizers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The BPE over the full 32,000-piece LLaMA-2 vocabulary. */
class Llama2VocabularyBpeTest {

    @Test
    void encodesTheWellKnownLlama2Tokens() throws IOException {
        SentencePieceBpe bpe = new SentencePieceBpe(Llama2Vocabulary.read());

        assertThat(bpe.vocabularySize()).isEqualTo(32_000);
        assertThat(bpe.bos()).hasValue(1);
        assertThat(bpe.encode("Once upon a time")).containsExactly(9038, 2501, 263, 931);
        assertThat(bpe.decode(new int[] {1, 9038, 2501, 263, 931})).isEqualTo("Once upon a time");
    }

    @Test
    void mergesAsRunCsScanAndRoundTrips() throws IOException {
        ScoredVocabulary v = Llama2Vocabulary.read();
        SentencePieceBpe bpe = new SentencePieceBpe(v);
        for (String text : new String[] {"Hello, world! naïve café 😀 — ½", "  two  spaces\nand\ttabs ",
            "日本語のテキストと English mixed", "über-straße 123,456.78 e=mc²"}) {
            assertThat(bpe.encode(text)).as(text).containsExactly(SentencePieceBpeTest.RunCEncoder.encode(v, text));
            assertThat(bpe.decode(bpe.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void encodesTheTinyStoriesTextAsOneDocumentFast() throws IOException {
        SentencePieceBpe bpe = new SentencePieceBpe(Llama2Vocabulary.read());
        String text = Files.readString(SentencePieceBpeTest.tinyStories(), StandardCharsets.UTF_8);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long started = threads.getCurrentThreadCpuTime();
        int[] ids = bpe.encode(text);
        double seconds = (threads.getCurrentThreadCpuTime() - started) / 1e9;

        assertThat(bpe.decode(ids)).isEqualTo(text);
        // LLaMA-2's vocabulary spells English in about 4 characters per token
        assertThat(ids.length).isBetween(150_000, 250_000);
        assertThat(seconds).as("processor seconds to encode 793,451 characters").isLessThan(10);
    }
}
