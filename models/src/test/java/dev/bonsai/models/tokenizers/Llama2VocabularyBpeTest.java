package dev.bonsai.models.tokenizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void givesTheWellKnownWikiText2TestLengthOfLlamaEvaluations() throws IOException {
        SentencePieceBpe bpe = new SentencePieceBpe(Llama2Vocabulary.read());
        Path file = shared("datasets/wikitext-2-raw/wiki.test.raw");
        // the Hugging Face rows (a line with its line break, a blank line empty), joined as "\n\n".join(rows)
        List<String> rows = new ArrayList<>();
        for (String line : Files.readString(file, StandardCharsets.UTF_8).split("(?<=\n)")) {
            rows.add(line.isBlank() ? "" : line);
        }
        int[] ids = bpe.encode(String.join("\n\n", rows));

        // GPTQ, SparseGPT and Wanda evaluate LLaMA models on 341,469 tokens with BOS: 166 windows of 2048
        assertThat(rows).hasSize(4358);
        assertThat(ids.length + 1).isEqualTo(341_469);
    }

    /** A file under the shared folder beside the checkout, or the test is skipped. */
    private static Path shared(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "no shared/" + relative + " above " + Path.of("").toAbsolutePath() + ": skipping");
        throw new AssertionError("unreachable");
    }
}
