package dev.bonsai.models.tokenizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cTokenizerFileTest {
    @TempDir
    Path dir;

    @Test
    void readsStories260KsTokenizerAsTheReadmeDescribesIt() throws IOException {
        ScoredVocabulary v = Llama2cTokenizerFile.read(SentencePieceBpeTest.tok512());

        assertThat(v.size()).isEqualTo(512);
        assertThat(v.pieces().subList(0, 3)).containsExactly("<unk>", "\n<s>\n", "\n</s>\n");
        assertThat(v.types()[0]).isEqualTo(ScoredVocabulary.UNKNOWN);
        assertThat(v.types()[1]).isEqualTo(ScoredVocabulary.CONTROL);
        assertThat(v.types()[2]).isEqualTo(ScoredVocabulary.CONTROL);
        assertThat(v.pieces().get(3)).isEqualTo("<0x00>");
        assertThat(v.pieces().get(13)).isEqualTo("<0x0A>");
        assertThat(v.pieces().get(258)).isEqualTo("<0xFF>");
        for (int id = 3; id <= 258; id++) {
            assertThat(v.types()[id]).isEqualTo(ScoredVocabulary.BYTE);
        }
        for (int id = 259; id < 512; id++) {
            assertThat(v.types()[id]).isEqualTo(ScoredVocabulary.NORMAL);
        }
        // merge scores run from 0 down to -252
        float min = 0;
        float max = -1000;
        for (int id = 259; id < 512; id++) {
            min = Math.min(min, v.scores()[id]);
            max = Math.max(max, v.scores()[id]);
        }
        assertThat(max).isEqualTo(0f);
        assertThat(min).isEqualTo(-252f);
        assertThat(v.bos()).isEqualTo(1);
        assertThat(v.eos()).isEqualTo(2);
        assertThat(v.unk()).isEqualTo(0);
        assertThat(Llama2cTokenizerFile.read(SentencePieceBpeTest.tok512(), 512).pieces()).isEqualTo(v.pieces());
    }

    @Test
    void writesTheFileItReadsByteForByte() throws IOException {
        Path original = SentencePieceBpeTest.tok512();
        ScoredVocabulary v = Llama2cTokenizerFile.read(original);

        assertThat(Llama2cTokenizerFile.bytes(v)).isEqualTo(Files.readAllBytes(original));
        Path copy = dir.resolve("tok512.bin");
        Llama2cTokenizerFile.write(v, copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
        assertThat(dir).isDirectoryContaining(p -> p.equals(copy))
                .isDirectoryNotContaining(p -> p.toString().endsWith(".partial"));
        assertThatThrownBy(() -> Llama2cTokenizerFile.write(v, copy)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("never written over an existing file");
    }

    @Test
    void roundTripsUnicodePiecesAndScores() throws IOException {
        ScoredVocabulary v = runCVocabulary(List.of(" ", "é", " 😀", "naïve"), new float[] {-1.5f, -2, -3.25f, 7});
        Path file = dir.resolve("tok.bin");
        Llama2cTokenizerFile.write(v, file);

        ScoredVocabulary back = Llama2cTokenizerFile.read(file);
        assertThat(back.pieces()).isEqualTo(v.pieces());
        assertThat(back.scores()).isEqualTo(v.scores());
        assertThat(back.types()).isEqualTo(v.types());
        // max_token_length is the longest piece's UTF-8 length: "naïve" is 6 bytes, " 😀" 5, "<0x00>" 6
        assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(6);
    }

    @Test
    void refusesMalformedFilesNamingWhatIsWrong() throws IOException {
        byte[] good = Files.readAllBytes(SentencePieceBpeTest.tok512());
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(good, good.length - 3));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(truncated)).isInstanceOf(IOException.class)
                .hasMessageContaining("piece 511").hasMessageContaining("truncated");

        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[] {1, 0});
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(tiny)).hasMessageContaining("has 2 bytes");

        Path good512 = dir.resolve("tok512.bin");
        Files.write(good512, good);
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(good512, 500)).hasMessageContaining("after its first 500")
                .hasMessageContaining("larger vocabulary");
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(good512, 513)).hasMessageContaining("piece 512")
                .hasMessageContaining("the model expects 513 pieces");

        byte[] notUtf8 = good.clone();
        // piece 0 "<unk>" starts after the 4-byte header and its 8-byte score and length
        notUtf8[4 + 8] = (byte) 0xFF;
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, notUtf8);
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(bad)).hasMessageContaining("piece 0 at byte 4")
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void refusesToWriteAVocabularyWhoseIdsRunCWouldMisread() {
        ScoredVocabulary v = runCVocabulary(List.of("a"), new float[] {0});
        ScoredVocabulary otherBos = new ScoredVocabulary(v.pieces(), v.scores(), v.types(), 2, 1, 0);
        assertThatThrownBy(() -> Llama2cTokenizerFile.bytes(otherBos)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BOS at 1").hasMessageContaining("0, 2 and 1");

        List<String> pieces = new ArrayList<>(v.pieces());
        pieces.set(3 + 0x41, "A");
        ScoredVocabulary movedByte = new ScoredVocabulary(pieces, v.scores(), v.types(), 1, 2, 0);
        assertThatThrownBy(() -> Llama2cTokenizerFile.bytes(movedByte))
                .hasMessageContaining("byte 65 as id 68, which must be the piece <0x41>");
    }

    /** A vocabulary laid out as run.c needs: unknown, BOS, EOS, 256 byte pieces, then {@code normal}. */
    static ScoredVocabulary runCVocabulary(List<String> normal, float[] normalScores) {
        List<String> pieces = new ArrayList<>(List.of("<unk>", "\n<s>\n", "\n</s>\n"));
        for (int b = 0; b < 256; b++) {
            pieces.add(SentencePieceBpe.bytePiece(b));
        }
        pieces.addAll(normal);
        float[] scores = new float[pieces.size()];
        System.arraycopy(normalScores, 0, scores, 259, normalScores.length);
        int[] types = new int[pieces.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = Llama2cTokenizerFile.typeOf(i, pieces.get(i));
        }
        return new ScoredVocabulary(pieces, scores, types, 1, 2, 0);
    }
}
