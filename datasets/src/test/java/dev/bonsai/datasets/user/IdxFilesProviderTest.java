package dev.bonsai.datasets.user;

import static dev.bonsai.datasets.idx.IdxTestFiles.ramp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.Fixtures;
import dev.bonsai.datasets.idx.IdxTestFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesProviderTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private void write(int trainCount, int testCount, byte[] trainLabels) throws IOException {
        IdxTestFiles.writeImages(dir.resolve("tr-img"), trainCount, 4, 3, ramp(trainCount * 12), true);
        IdxTestFiles.writeLabels(dir.resolve("tr-lab"), trainLabels, false);
        IdxTestFiles.writeImages(dir.resolve("te-img"), testCount, 4, 3, ramp(testCount * 12), false);
        IdxTestFiles.writeLabels(dir.resolve("te-lab"), new byte[testCount], true);
    }

    private Dataset load(Optional<List<Integer>> shape, Optional<Integer> classes, boolean normalize) {
        return new IdxFilesProvider().load(new IdxFilesOptions("tr-img", "tr-lab", "te-img", "te-lab", shape, classes,
                normalize), Fixtures.folder(dir, cache));
    }

    @Test
    void infersShapeAndClassesAndRecordsChecksums() throws IOException {
        write(3, 2, new byte[] {0, 4, 2});

        Dataset d = load(Optional.empty(), Optional.empty(), false);

        assertThat(d.info().sampleShape()).isEqualTo(Shape.of(1, 4, 3));
        assertThat(d.info().classes()).isEqualTo(5);
        assertThat(d.train().labels()).containsExactly(0, 4, 2);
        assertThat(d.train().features()[1]).isEqualTo((10 & 0xFF) / 255f, within(1e-7f));
        assertThat(d.info().sha256()).hasSize(4);
    }

    @Test
    void givenShapeAndNormalisation() throws IOException {
        write(3, 2, new byte[] {0, 1, 2});

        Dataset d = load(Optional.of(List.of(3, 2, 2)), Optional.of(10), true);

        assertThat(d.info().sampleShape()).isEqualTo(Shape.of(3, 2, 2));
        assertThat(d.info().classes()).isEqualTo(10);
        double mean = 0;
        for (float v : d.train().features()) {
            mean += v;
        }
        assertThat(mean / d.train().features().length).isCloseTo(0, within(1e-5));
    }

    @Test
    void mismatchesAreErrors() throws IOException {
        write(3, 2, new byte[] {0, 1});
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), false))
                .hasMessageContaining("holds 3 images").hasMessageContaining("2 labels");
        write(3, 2, new byte[] {0, 1, 7});
        assertThatThrownBy(() -> load(Optional.empty(), Optional.of(5), false)).hasMessageContaining("label 7");
        assertThatThrownBy(() -> load(Optional.of(List.of(5, 5)), Optional.empty(), false))
                .hasMessageContaining("12 values");
    }
}
