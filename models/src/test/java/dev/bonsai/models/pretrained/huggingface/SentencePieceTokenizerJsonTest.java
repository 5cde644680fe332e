package dev.bonsai.models.pretrained.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.tokenizers.Llama2cTokenizerFile;
import dev.bonsai.models.tokenizers.ScoredVocabulary;
import dev.bonsai.models.tokenizers.SentencePieceBpe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentencepiece vocabularies written as tokenizer.json: the Rust tokenizers library, reading the file, encodes as
 * Bonsai's sentencepiece BPE does (itself checked against llama2.c), on a small vocabulary and on random text, and on
 * stories260K's real vocabulary against its published token ids and TinyStories text.
 */
class SentencePieceTokenizerJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** {@code <unk>}, {@code <s>}, {@code </s>}, 256 byte pieces, then characters and merges with their scores. */
    private static ScoredVocabulary small() {
        List<String> pieces = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        List<Integer> types = new ArrayList<>(List.of(ScoredVocabulary.UNKNOWN, ScoredVocabulary.CONTROL,
                ScoredVocabulary.CONTROL));
        for (int b = 0; b < 256; b++) {
            pieces.add(SentencePieceBpe.bytePiece(b));
            scores.add(0f);
            types.add(ScoredVocabulary.BYTE);
        }
        String[] normal = {"ab", " a", " ab", "abc", "ca", "bc", " c", "cc", " ", "a", "b", "c", "é"};
        float[] normalScores = {-1, -2, -3, -4, -5, -6, -7, -8, -20, -21, -22, -23, -24};
        for (int i = 0; i < normal.length; i++) {
            pieces.add(normal[i]);
            scores.add(normalScores[i]);
            types.add(ScoredVocabulary.NORMAL);
        }
        float[] s = new float[scores.size()];
        int[] t = new int[types.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
            t[i] = types.get(i);
        }
        return new ScoredVocabulary(pieces, s, t, 1, 2, 0);
    }

    private HfTokenizer written(ScoredVocabulary vocabulary, String name) throws Exception {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Files.write(folder.resolve(HfTokenizer.FILE), SentencePieceTokenizerJson.tokenizerJson(vocabulary));
        return HfTokenizer.read(folder, vocabulary.size(), vocabulary.bos(), vocabulary.eos());
    }

    @Test
    void theTokenizersLibraryEncodesAsSentencepieceOnRandomText() throws Exception {
        ScoredVocabulary vocabulary = small();
        SentencePieceBpe bpe = new SentencePieceBpe(vocabulary);
        HfTokenizer hf = written(vocabulary, "small");
        assertThat(hf.encode("ab abc")).containsExactly(bpe.encode("ab abc"));
        String alphabet = "abc  éxü\n😀";
        Random random = new Random(9);
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(14);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            String s = text.toString();
            assertThat(hf.encode(s)).as("'%s'", s).containsExactly(bpe.encode(s));
            assertThat(hf.decode(hf.encode(s))).as("'%s' decoded", s).isEqualTo(bpe.decode(bpe.encode(s)));
        }
    }

    @Test
    void theFileHasLlamaTokenizerFastsShape() throws Exception {
        ScoredVocabulary vocabulary = small();
        JsonNode root = JSON.readTree(SentencePieceTokenizerJson.tokenizerJson(vocabulary));
        assertThat(root.path("model").path("type").asText()).isEqualTo("BPE");
        assertThat(root.path("model").path("byte_fallback").asBoolean()).isTrue();
        assertThat(root.path("model").path("vocab").path("\u2581ab").asInt()).isEqualTo(261);
        List<String> merges = new ArrayList<>();
        root.path("model").path("merges").forEach(m -> merges.add(m.asText()));
        // by the merged piece's score: ab (−1), ▁a (−2), then ▁ab's two splits (−3) by the ids of their halves
        assertThat(merges.subList(0, 4)).containsExactly("a b", "\u2581 a", "\u2581a b", "\u2581 ab");
        assertThat(root.path("added_tokens").findValuesAsText("content")).containsExactly("<unk>", "<s>", "</s>");
        assertThat(root.path("post_processor").path("single").path(0).path("SpecialToken").path("id").asText())
                .isEqualTo("<s>");
        JsonNode config = JSON.readTree(SentencePieceTokenizerJson.tokenizerConfig(vocabulary, 512));
        assertThat(config.path("tokenizer_class").asText()).isEqualTo("LlamaTokenizerFast");
        assertThat(config.path("bos_token").asText()).isEqualTo("<s>");
    }

    private static Path shared(String first, String second, String file) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve(first).resolve(second).resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void stories260kVocabularyGivesItsPublishedIdsAndAgreesOnTinyStories() throws Exception {
        Path tok = shared("models", "stories260K", "tok512.bin");
        assumeTrue(tok != null, "no shared/models/stories260K/tok512.bin above the working directory: skipping the"
                + " check on stories260K's real vocabulary");
        ScoredVocabulary vocabulary = Llama2cTokenizerFile.read(tok);
        HfTokenizer hf = written(vocabulary, "stories");
        // the figures published with the model (llama2.c's encode, BOS first)
        assertThat(hf.encode("Lily's mom said, \"Hi!\"\nThe end.")).containsExactly(317, 439, 419, 357, 336, 432,
                313, 440, 417, 443, 436, 13, 434, 260, 344, 264, 426);
        assertThat(hf.encode("naïve café 😀")).containsExactly(297, 412, 198, 178, 360, 280, 412, 431, 485, 410,
                243, 162, 155, 131);
        Path text = shared("datasets", "tinystories", "tinystories_val.txt");
        assumeTrue(text != null, "no shared/datasets/tinystories: the TinyStories agreement is skipped");
        SentencePieceBpe bpe = new SentencePieceBpe(vocabulary);
        String[] documents = Files.readString(text, StandardCharsets.UTF_8).split("\n\n");
        int checked = 0;
        for (String document : Arrays.copyOf(documents, 400)) {
            String d = document.strip();
            if (!d.isEmpty()) {
                assertThat(hf.encode(d)).as(d).containsExactly(bpe.encode(d));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(300);
    }

    @Test
    void aModelWithASentencepieceTokenizerIsWrittenWithATokenizerJson() throws Exception {
        ScoredVocabulary vocabulary = small();
        DecoderConfig c = new DecoderConfig("llama", vocabulary.size(), 8, 1, 2, 2, 4, 12, 16, 1e-5, true, 1e4, true,
                dev.bonsai.api.model.Activation.SILU, false, false, false, true, false);
        PretrainedModel model = new PretrainedModel(c, HfFixtures.random(c, 2), new SentencePieceBpe(vocabulary),
                "llama2c");
        Path folder = dir.resolve("from-llama2c");
        new HuggingFaceFormat().write(model, folder);
        assertThat(folder.resolve("tokenizer_config.json")).exists();
        PretrainedModel back = new HuggingFaceFormat().read(folder);
        assertThat(back.tokenizer()).isInstanceOf(HfTokenizer.class);
        assertThat(back.tokenizer().encode(" cab abc")).containsExactly(model.tokenizer().encode(" cab abc"));
        assertThat(back.tokenizer().bos()).hasValue(1);
    }
}
