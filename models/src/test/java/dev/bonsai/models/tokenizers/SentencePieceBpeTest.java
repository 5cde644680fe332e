package dev.bonsai.models.tokenizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SentencePieceBpeTest {

    /** stories260K's tokenizer from the shared models beside the checkout, or the test is skipped. */
    static Path tok512() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/models/stories260K/tok512.bin");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "no shared/models/stories260K/tok512.bin above " + Path.of("").toAbsolutePath()
                + ": skipping the test of the real tokenizer");
        throw new AssertionError("unreachable");
    }

    /** The shared TinyStories text beside the checkout, or the test is skipped. */
    static Path tinyStories() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/datasets/tinystories/tinystories_val.txt");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "no shared/datasets/tinystories/tinystories_val.txt above "
                + Path.of("").toAbsolutePath() + ": skipping the test on real text");
        throw new AssertionError("unreachable");
    }

    private static SentencePieceBpe stories() throws IOException {
        return new SentencePieceBpe(Llama2cTokenizerFile.read(tok512()));
    }

    private static int[] withBos(int[] ids) {
        int[] out = new int[ids.length + 1];
        out[0] = 1;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    @Test
    void encodesTheReadmeVectorsOfStories260K() throws IOException {
        SentencePieceBpe bpe = stories();

        assertThat(withBos(bpe.encode("Once upon a time"))).containsExactly(1, 403, 407, 261, 378);
        assertThat(withBos(bpe.encode("Lily's mom said, \"Hi!\"\nThe end.")))
                .containsExactly(1, 317, 439, 419, 357, 336, 432, 313, 440, 417, 443, 436, 13, 434, 260, 344, 264, 426);
        // ï and 😀 have no piece: their UTF-8 bytes fall back to ids byte + 3
        assertThat(withBos(bpe.encode("naïve café 😀")))
                .containsExactly(1, 297, 412, 198, 178, 360, 280, 412, 431, 485, 410, 243, 162, 155, 131);
        assertThat(bpe.encode("")).isEmpty();
        assertThat(bpe.bos()).hasValue(1);
        assertThat(bpe.eos()).hasValue(2);
        assertThat(bpe.vocabularySize()).isEqualTo(512);
    }

    @Test
    void decodesTheReadmeGreedyContinuation() throws IOException {
        SentencePieceBpe bpe = stories();
        int[] prompt = {1, 403, 407, 261, 378};
        int[] generated = {432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337, 410, 408,
            419, 292, 411, 322, 265, 282, 295, 433, 426, 385, 328, 432, 358, 394, 261, 370, 432, 352, 266, 268, 388,
            426};
        int[] all = Arrays.copyOf(prompt, prompt.length + generated.length);
        System.arraycopy(generated, 0, all, prompt.length, generated.length);

        assertThat(bpe.decode(all)).isEqualTo("Once upon a time, there was a little girl named Lily. She loved to "
                + "play outside in the park. One day, she saw a big, red ball.");
        assertThat(bpe.piece(432)).isEqualTo(",");
        assertThat(bpe.piece(383)).isEqualTo(" there");
    }

    @Test
    void decodingDropsControlTokensJoinsBytesAndDropsThePrefixAfterEachBos() throws IOException {
        SentencePieceBpe bpe = stories();
        int[] one = bpe.encode("naïve");
        int[] two = bpe.encode("Hi");
        int[] ids = new int[one.length + two.length + 3];
        ids[0] = 1;
        System.arraycopy(one, 0, ids, 1, one.length);
        ids[one.length + 1] = 2;
        ids[one.length + 2] = 1;
        System.arraycopy(two, 0, ids, one.length + 3, two.length);

        assertThat(bpe.decode(ids)).isEqualTo("naïveHi");
        // mid-sequence, without BOS, the space of a piece is the text's
        assertThat(bpe.decode(new int[] {1, 403, 407})).isEqualTo("Once upon");
        assertThat(bpe.decode(new int[] {407})).isEqualTo("upon");
        // a lone continuation byte decodes as the replacement character
        assertThat(bpe.decode(new int[] {3 + 0xAF})).isEqualTo("\uFFFD");
    }

    @Test
    void arbitraryUnicodeRoundTrips() throws IOException {
        SentencePieceBpe bpe = stories();
        Random random = new Random(7);
        int[] ranges = {0x20, 0x7E, 0xA0, 0x2FF, 0x370, 0x3FF, 0x4E00, 0x4FFF, 0x1F600, 0x1F64F, 0x0, 0x1F};
        for (int trial = 0; trial < 300; trial++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                int r = random.nextInt(ranges.length / 2) * 2;
                int cp = ranges[r] + random.nextInt(ranges[r + 1] - ranges[r] + 1);
                text.appendCodePoint(random.nextInt(3) == 0 ? ' ' : cp);
            }
            String s = text.toString();
            int[] ids = bpe.encode(s);
            assertThat(bpe.decode(ids)).as("round trip of %s", s).isEqualTo(s);
            assertThat(ids).as("encode of %s", s).containsExactly(RunCEncoder.encode(bpe.vocabulary(), s));
        }
    }

    @Test
    void mergesAsRunCsScanOnRandomTextAndTies() {
        // a vocabulary with many equal scores, so that the leftmost rule decides
        List<String> pieces = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        for (int b = 0; b < 256; b++) {
            pieces.add(SentencePieceBpe.bytePiece(b));
        }
        String[] merges = {" ", "a", "b", "c", "ab", "bc", "ca", "abc", "bca", "cab", " a", " ab", "aa", "aaa",
            "bb", "abab", "cc", "ccc"};
        pieces.addAll(List.of(merges));
        float[] scores = new float[pieces.size()];
        int[] types = new int[pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            types[i] = Llama2cTokenizerFile.typeOf(i, pieces.get(i));
            scores[i] = i >= 259 ? -((i - 259) % 3) : 0;
        }
        ScoredVocabulary v = new ScoredVocabulary(pieces, scores, types, 1, 2, 0);
        SentencePieceBpe bpe = new SentencePieceBpe(v);
        Random random = new Random(11);
        String alphabet = "abc d";
        for (int trial = 0; trial < 500; trial++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = text.toString();
            assertThat(bpe.encode(s)).as("encode of '%s'", s).containsExactly(RunCEncoder.encode(v, s));
            assertThat(bpe.decode(bpe.encode(s))).isEqualTo(s);
        }
    }

    @Test
    void encodesTheWholeTinyStoriesTextAsOneDocumentFast() throws IOException {
        SentencePieceBpe bpe = stories();
        String text = Files.readString(tinyStories(), StandardCharsets.UTF_8);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long started = threads.getCurrentThreadCpuTime();
        int[] ids = bpe.encode(text);
        double seconds = (threads.getCurrentThreadCpuTime() - started) / 1e9;

        assertThat(bpe.decode(ids)).isEqualTo(text);
        // about 2 characters per token for this 512-piece vocabulary; far fewer than the 793,451 characters
        assertThat(ids.length).isBetween(300_000, 450_000);
        // a scan of every pair after every merge (run.c) takes minutes here; the queue takes well under a second of
        // processor time (measured as such, so that other processes on the machine do not count)
        assertThat(seconds).as("processor seconds to encode 793,451 characters").isLessThan(10);
    }

    @Test
    void refusesTextThatIsNotUnicode() throws IOException {
        SentencePieceBpe bpe = stories();
        assertThatThrownBy(() -> bpe.encode("ab\uD800c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired UTF-16 surrogate U+D800 at index 2");
    }

    @Test
    void withoutBytePiecesAnUnknownCharacterIsOneUnknownPiece() {
        List<String> pieces = List.of("<unk>", "<s>", "</s>", " ", "a", " a");
        ScoredVocabulary v = new ScoredVocabulary(pieces, new float[] {0, 0, 0, 0, 0, -1},
                new int[] {ScoredVocabulary.UNKNOWN, ScoredVocabulary.CONTROL, ScoredVocabulary.CONTROL, 1, 1, 1}, 1,
                2, 0);
        assertThat(new SentencePieceBpe(v).encode("aé")).containsExactly(5, 0);
        ScoredVocabulary noUnknown = new ScoredVocabulary(pieces, new float[6], new int[] {1, 3, 3, 1, 1, 1}, 1, 2,
                -1);
        assertThatThrownBy(() -> new SentencePieceBpe(noUnknown).encode("aé"))
                .hasMessageContaining("U+00E9 at index 1 has no piece");
    }

    /** llama2.c run.c's encode, transcribed literally: rescan every adjacent pair after every merge. */
    static final class RunCEncoder {
        static int[] encode(ScoredVocabulary v, String text) {
            Map<String, Integer> lookup = new HashMap<>();
            for (int i = 0; i < v.size(); i++) {
                lookup.putIfAbsent(v.pieces().get(i), i);
            }
            List<Integer> tokens = new ArrayList<>();
            if (!text.isEmpty()) {
                tokens.add(lookup.get(" "));
            }
            text.codePoints().forEach(cp -> {
                String c = new String(Character.toChars(cp));
                Integer id = lookup.get(c);
                if (id != null) {
                    tokens.add(id);
                } else {
                    for (byte b : c.getBytes(StandardCharsets.UTF_8)) {
                        tokens.add((b & 0xFF) + 3);
                    }
                }
            });
            while (true) {
                float bestScore = -1e10f;
                int bestId = -1;
                int bestIdx = -1;
                for (int i = 0; i < tokens.size() - 1; i++) {
                    Integer id = lookup.get(v.pieces().get(tokens.get(i)) + v.pieces().get(tokens.get(i + 1)));
                    if (id != null && v.scores()[id] > bestScore) {
                        bestScore = v.scores()[id];
                        bestId = id;
                        bestIdx = i;
                    }
                }
                if (bestIdx == -1) {
                    break;
                }
                tokens.set(bestIdx, bestId);
                tokens.remove(bestIdx + 1);
            }
            return tokens.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
