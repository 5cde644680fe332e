package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {
    @TempDir
    Path dir;

    @Test
    void wordsEndEachLineWithEos() {
        assertThat(TextCorpus.words(" a  b\n\nc\td \n")).containsExactly("a", "b", "<eos>", "<eos>", "c", "d", "<eos>");
        assertThat(TextCorpus.words("x")).containsExactly("x", "<eos>");
    }

    @Test
    void charactersAreSortedCodePoints() {
        assertThat(TextCorpus.characters("banana\uD83D\uDE00!")).containsExactly("!", "a", "b", "n", "\uD83D\uDE00");
        List<String> v = TextCorpus.characters("ba\uD83D\uDE00");
        assertThat(TextCorpus.encodeCharacters("ab\uD83D\uDE00b", v, "t")).containsExactly(0, 1, 2, 1);
    }

    @Test
    void wordVocabularyKeepsFirstAppearanceAndAddsUnk() {
        List<String> v = TextCorpus.wordVocabulary(List.of("b", "a", "b", "<eos>"));
        assertThat(v).containsExactly("b", "a", "<eos>", "<unk>");
        int[] unknown = new int[1];
        assertThat(TextCorpus.encodeWords(List.of("a", "zz", "b"), v, unknown)).containsExactly(1, 3, 0);
        assertThat(unknown[0]).isEqualTo(1);
    }

    @Test
    void windowsAreShiftedByOne() {
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Split s = TextCorpus.windows("train", ids, 4, 4, "t");
        assertThat(s.size()).isEqualTo(2); // starts 0 and 4; start 8 lacks a 5th token
        assertThat(s.labelsPerSample()).isEqualTo(4);
        assertThat(s.features()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(s.labels()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);

        Split overlapping = TextCorpus.windows("train", ids, 4, 1, "t");
        assertThat(overlapping.size()).isEqualTo(6);
        assertThat(overlapping.labels()).endsWith(6, 7, 8, 9);
        assertThat(TextCorpus.windowCount(5, 4, 1)).isEqualTo(1);
        assertThat(TextCorpus.windowCount(4, 4, 1)).isZero();
        assertThatThrownBy(() -> TextCorpus.windows("test", new int[] {1, 2, 3}, 4, 4, "tiny"))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("3 tokens").hasMessageContaining("at least 5");
    }

    @Test
    void invalidUtf8NamesTheFileOffsetAndLine() throws IOException {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, "ok\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> TextCorpus.readUtf8(file)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("byte 6").hasMessageContaining("line 2").hasMessageContaining("0xE9");
    }

    @Test
    void emptyAndMissingFilesAreErrors() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertThatThrownBy(() -> TextCorpus.readUtf8(empty)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> TextCorpus.readUtf8(dir.resolve("none.txt"))).hasMessageContaining("does not exist");
    }

    @Test
    void byteOrderMarkIsDropped() throws IOException {
        Path file = Files.writeString(dir.resolve("bom.txt"), "\uFEFFhi", StandardCharsets.UTF_8);
        assertThat(TextCorpus.readUtf8(file)).isEqualTo("hi");
    }
}
