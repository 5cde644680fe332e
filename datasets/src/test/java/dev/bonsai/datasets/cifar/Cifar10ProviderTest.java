package dev.bonsai.datasets.cifar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 on small generated archives of the official layout. */
class Cifar10ProviderTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    /** {@code n} records whose label is {@code (first + i) % 10} and whose pixels are {@code (first + i + p) % 256}. */
    static byte[] records(int first, int n) {
        byte[] b = new byte[n * Cifar10Provider.RECORD];
        for (int i = 0; i < n; i++) {
            int off = i * Cifar10Provider.RECORD;
            b[off] = (byte) ((first + i) % 10);
            for (int p = 0; p < 3072; p++) {
                b[off + 1 + p] = (byte) ((first + i + p) % 256);
            }
        }
        return b;
    }

    static Map<String, byte[]> members() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes());
        for (int k = 1; k <= 5; k++) {
            m.put("cifar-10-batches-bin/data_batch_" + k + ".bin", records((k - 1) * 2, 2));
        }
        m.put("cifar-10-batches-bin/test_batch.bin", records(100, 3));
        return m;
    }

    private Dataset load(byte[] archive, Cifar10Options options) throws IOException {
        DataFile file = Fixtures.write(dir, "cifar-10-binary.tar.gz", archive);
        return new Cifar10Provider(file).load(options, Fixtures.folder(dir, cache));
    }

    @Test
    void declaresTheOfficialArchive() {
        DataFile archive = new Cifar10Provider().files(Cifar10Options.defaults()).get(0);
        assertThat(archive.path()).isEqualTo("cifar-10-binary.tar.gz");
        assertThat(archive.size()).isEqualTo(170_052_171L);
        assertThat(archive.sha256()).isEqualTo("c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");
        assertThat(archive.mirrors()).extracting(Object::toString)
                .containsExactly("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    }

    @Test
    void decodesTrainBatchesInOrderAndTheTestBatch() throws IOException {
        Dataset d = load(TarWriter.tarGz(members()), new Cifar10Options(false));

        assertThat(d.info().sampleShape()).isEqualTo(Shape.of(3, 32, 32));
        assertThat(d.info().classes()).isEqualTo(10);
        assertThat(d.train().size()).isEqualTo(10);
        assertThat(d.train().labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(d.test().labels()).containsExactly(0, 1, 2);
        // held as one byte per pixel (plus 4 per label), not as floats, until features() is asked for
        assertThat(d.train().isCompact()).isTrue();
        assertThat(d.train().heldBytes()).isEqualTo(10L * 3072 + 4 * 10);
        float[] f = d.train().features();
        assertThat(f[0]).isEqualTo(0f);
        assertThat(f[1]).isEqualTo(1 / 255f, within(1e-7f));
        assertThat(f[3072 * 3 + 5]).isEqualTo((3 + 5) / 255f, within(1e-7f)); // sample 3, pixel 5
        assertThat(d.test().features()[0]).isEqualTo(100 / 255f, within(1e-7f));
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void normalisesPerChannel() throws IOException {
        Dataset d = load(TarWriter.tarGz(members()), Cifar10Options.defaults());
        float[] f = d.train().features();
        assertThat(f[0]).isEqualTo((float) ((0 - 0.4914) / 0.2470), within(1e-6f));
        assertThat(f[1024]).isEqualTo((float) ((1024 % 256 / 255.0 - 0.4822) / 0.2435), within(1e-6f));
        assertThat(f[2048 + 7]).isEqualTo((float) (((2048 + 7) % 256 / 255.0 - 0.4465) / 0.2616), within(1e-6f));
    }

    @Test
    void aRecordOfTheWrongLengthIsNamed() throws IOException {
        Map<String, byte[]> m = members();
        m.put("cifar-10-batches-bin/data_batch_3.bin", Arrays.copyOf(records(0, 2), 2 * 3073 - 1));

        assertThatThrownBy(() -> load(TarWriter.tarGz(m), Cifar10Options.defaults()))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("data_batch_3.bin")
                .hasMessageContaining("6145 bytes").hasMessageContaining("3073-byte records")
                .hasMessageContaining("1 records and 3072 bytes left over");
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void aBadLabelIsNamed() throws IOException {
        Map<String, byte[]> m = members();
        byte[] test = records(0, 3);
        test[3073] = 12;
        m.put("cifar-10-batches-bin/test_batch.bin", test);

        assertThatThrownBy(() -> load(TarWriter.tarGz(m), Cifar10Options.defaults()))
                .hasMessageContaining("test_batch.bin").hasMessageContaining("record 1").hasMessageContaining("label 12");
    }

    @Test
    void aMissingMemberIsNamed() throws IOException {
        Map<String, byte[]> m = members();
        m.remove("cifar-10-batches-bin/data_batch_5.bin");

        assertThatThrownBy(() -> load(TarWriter.tarGz(m), Cifar10Options.defaults()))
                .hasMessageContaining("lacks cifar-10-batches-bin/data_batch_5.bin");
    }

    @Test
    void truncatedOrCorruptArchivesAreErrors() throws IOException {
        byte[] good = TarWriter.tarGz(members());
        assertThatThrownBy(() -> load(Arrays.copyOf(good, good.length / 2), Cifar10Options.defaults()))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("cifar-10-binary.tar.gz")
                .hasMessageContaining("truncated");
        byte[] notTar = dev.bonsai.datasets.idx.IdxTestFiles.gzip(new byte[1024 + 7]);
        notTar[notTar.length / 2] ^= 0x55;
        assertThatThrownBy(() -> load(notTar, Cifar10Options.defaults())).isInstanceOf(BonsaiException.class);
        byte[] garbage = new byte[2048];
        Arrays.fill(garbage, (byte) 'x');
        assertThatThrownBy(() -> load(garbage, Cifar10Options.defaults())).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("not a tar archive");
    }

    @Test
    void blackLevelIsWhatARawZeroPixelDecodesTo() {
        float[] normalized = new Cifar10Provider().blackLevel(Cifar10Options.defaults()).orElseThrow();
        assertThat(normalized).hasSize(3);
        for (int c = 0; c < 3; c++) {
            assertThat((double) normalized[c]).isCloseTo(-Cifar10Provider.MEAN[c] / Cifar10Provider.STD[c],
                    org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(new Cifar10Provider().blackLevel(new Cifar10Options(false)).orElseThrow())
                .containsExactly(0f, 0f, 0f);
    }

    private java.util.List<Path> cacheFiles() throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
