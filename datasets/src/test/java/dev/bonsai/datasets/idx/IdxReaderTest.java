package dev.bonsai.datasets.idx;

import static dev.bonsai.datasets.idx.IdxTestFiles.gzip;
import static dev.bonsai.datasets.idx.IdxTestFiles.idx;
import static dev.bonsai.datasets.idx.IdxTestFiles.ramp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void imagesRoundTrip(boolean gz) throws IOException {
        byte[] pixels = ramp(5 * 4 * 3);
        pixels[7] = (byte) 255;
        Path file = IdxTestFiles.writeImages(dir.resolve(gz ? "images.gz" : "images"), 5, 4, 3, pixels, gz);

        IdxArray images = IdxReader.readImages(file);

        assertThat(images.dims()).containsExactly(5, 4, 3);
        assertThat(images.count()).isEqualTo(5);
        assertThat(images.magic()).isEqualTo(2051);
        assertThat(images.data()).isEqualTo(pixels);
        assertThat(images.unsigned(7)).isEqualTo(255);
        assertThat(images.file()).isEqualTo(file);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void labelsRoundTrip(boolean gz) throws IOException {
        byte[] labels = {5, 0, 4, 1, 9, 2};
        Path file = IdxTestFiles.writeLabels(dir.resolve("labels"), labels, gz);

        IdxArray read = IdxReader.readLabels(file);

        assertThat(read.dims()).containsExactly(6);
        assertThat(read.magic()).isEqualTo(2049);
        assertThat(read.data()).containsExactly(labels);
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        byte[] labels = {1, 2, 3};
        Path plainNamedGz = IdxTestFiles.writeLabels(dir.resolve("plain.gz"), labels, false);
        Path gzNamedPlain = IdxTestFiles.writeLabels(dir.resolve("compressed.idx"), labels, true);

        assertThat(IdxReader.readLabels(plainNamedGz).data()).containsExactly(labels);
        assertThat(IdxReader.readLabels(gzNamedPlain).data()).containsExactly(labels);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedDataNamesFileAndSizes(boolean gz) throws IOException {
        byte[] whole = idx(IdxReader.IMAGES_MAGIC, new int[] {10, 4, 4}, ramp(160));
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);
        Path file = Files.write(dir.resolve("cut"), gz ? gzip(cut) : cut);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("160 data bytes")
                .hasMessageContaining("only 150");
    }

    @Test
    void truncatedHeaderNamesFile() throws IOException {
        byte[] whole = idx(IdxReader.IMAGES_MAGIC, new int[] {10, 4, 4}, ramp(160));
        Path file = Files.write(dir.resolve("header"), Arrays.copyOf(whole, 9));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("16 header bytes, found 9");
    }

    @Test
    void truncatedGzipStreamNamesFile() throws IOException {
        byte[] compressed = gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {50, 10, 10}, ramp(5000)));
        Path file = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, compressed.length / 2));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("gzip");
    }

    @Test
    void corruptGzipStreamNamesFile() throws IOException {
        byte[] compressed = gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {50, 10, 10}, ramp(5000)));
        for (int i = 20; i < compressed.length - 8; i += 3) {
            compressed[i] ^= (byte) 0x5A;
        }
        Path file = Files.write(dir.resolve("corrupt.gz"), compressed);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void wrongMagicNamesExpectedAndFound(boolean gz) throws IOException {
        Path labels = IdxTestFiles.writeLabels(dir.resolve("labels"), new byte[] {1, 2}, gz);

        assertThatThrownBy(() -> IdxReader.readImages(labels))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("expected 2051 (unsigned bytes, 3 dimensions)")
                .hasMessageContaining("found 2049 (unsigned bytes, 1 dimension)");
    }

    @Test
    void notAnIdxFile() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, this is not IDX");

        assertThatThrownBy(() -> IdxReader.read(text))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("not an IDX");
    }

    @Test
    void trailingDataIsAnError() throws IOException {
        byte[] whole = idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3});
        Path file = Files.write(dir.resolve("long"), Arrays.copyOf(whole, whole.length + 2));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("need 3 data bytes, but 5 follow");
    }

    @Test
    void otherValueTypesAreRefused() throws IOException {
        Path floats = Files.write(dir.resolve("floats"), idx(0x0D01, new int[] {1}, new byte[4]));

        assertThatThrownBy(() -> IdxReader.read(floats))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(floats.toString())
                .hasMessageContaining("only unsigned bytes");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("absent.gz");

        assertThatThrownBy(() -> IdxReader.readLabels(missing))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }
}
