package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.datasets.Fixtures;
import dev.bonsai.datasets.files.DataFileResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFileProviderTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    @Test
    void characterLevelWithTheLastTenthAsTest() throws IOException {
        Path file = Files.writeString(dir.resolve("corpus.txt"), "hello world\n".repeat(10)); // 120 chars

        Dataset d = new TextFileProvider().load(new TextFileOptions("corpus.txt", Optional.empty(),
                TextFileOptions.Level.CHAR, 8, Optional.empty(), 0.1), Fixtures.folder(dir, cache));

        assertThat(d.info().vocabulary()).containsExactly("\n", " ", "d", "e", "h", "l", "o", "r", "w");
        assertThat(d.train().size()).isEqualTo(TextCorpus.windowCount(108, 8, 8));
        assertThat(d.test().size()).isEqualTo(TextCorpus.windowCount(12, 8, 8));
        assertThat(d.info().sha256()).containsEntry(file.toString(), DataFileResolver.sha256(file));
    }

    @Test
    void wordLevelWithATestFileMapsUnknownWords() throws IOException {
        Files.writeString(dir.resolve("train.txt"), "a b a\nb c\n".repeat(5));
        Files.writeString(dir.resolve("test.txt"), "a z\nb c\n");

        Dataset d = new TextFileProvider().load(new TextFileOptions(dir.resolve("train.txt").toString(),
                Optional.of("test.txt"), TextFileOptions.Level.WORD, 2, Optional.of(1), 0.1),
                Fixtures.folder(dir, cache));

        assertThat(d.info().vocabulary()).containsExactly("a", "b", "<eos>", "c", "<unk>");
        // test tokens: a z <eos> b c <eos> → 0 4 2 1 3 2
        assertThat(d.test().features()).startsWith(0, 4, 4, 2);
        assertThat(d.test().size()).isEqualTo(4);
        assertThat(d.info().sha256()).hasSize(2);
    }

    @Test
    void missingOrBadFilesAreNamed() throws IOException {
        assertThatThrownBy(() -> new TextFileProvider().load(new TextFileOptions("nope.txt", Optional.empty(),
                TextFileOptions.Level.CHAR, 8, Optional.empty(), 0.1), Fixtures.folder(dir, cache)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining(dir.resolve("nope.txt").toString())
                .hasMessageContaining("'file'");
        Files.write(dir.resolve("bad.txt"), new byte[] {'a', (byte) 0xFF, 'b'});
        assertThatThrownBy(() -> new TextFileProvider().load(new TextFileOptions("bad.txt", Optional.empty(),
                TextFileOptions.Level.CHAR, 1, Optional.empty(), 0.1), Fixtures.folder(dir, cache)))
                .hasMessageContaining("not valid UTF-8").hasMessageContaining("byte 1");
    }
}
