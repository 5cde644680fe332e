package dev.bonsai.datasets.idx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.model.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX image base class on a tiny generated dataset of 2 × 3 images in 4 classes. */
class IdxImageDatasetProviderTest {
    private static final IdxImageFiles FILES = new IdxImageFiles(
            IdxImageFiles.file("train-images", "00".repeat(32), 1, List.of("https://example.invalid/")),
            IdxImageFiles.file("train-labels", "11".repeat(32), 1, List.of()),
            IdxImageFiles.file("test-images", "22".repeat(32), 1, List.of()),
            IdxImageFiles.file("test-labels", "33".repeat(32), 1, List.of()));

    @TempDir
    Path dir;

    /** A provider that normalises with mean 0.5 and std 0.25. */
    static final class Tiny extends IdxImageDatasetProvider<NoOptions> {
        private final boolean normalize;

        Tiny(boolean normalize) {
            super(FILES, 2, 3, 4, 0.5, 0.25);
            this.normalize = normalize;
        }

        @Override
        public String id() {
            return "tiny";
        }

        @Override
        public String description() {
            return "tiny";
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public int spiVersion() {
            return Spi.VERSION;
        }

        @Override
        protected boolean normalize(NoOptions options) {
            return normalize;
        }
    }

    /** Resolves each file to {@code dir/<path>} without checking. */
    private DataFiles inDir() {
        return (String datasetId, DataFile file) -> {
            assertThat(datasetId).isEqualTo("tiny");
            return dir.resolve(file.path());
        };
    }

    private void write(int trainCount, byte[] trainLabels, byte[] testLabels) throws IOException {
        byte[] train = new byte[trainCount * 6];
        for (int i = 0; i < train.length; i++) {
            train[i] = (byte) (i % 2 == 0 ? 0 : 255);
        }
        IdxTestFiles.writeImages(dir.resolve("train-images"), trainCount, 2, 3, train, true);
        IdxTestFiles.writeLabels(dir.resolve("train-labels"), trainLabels, true);
        IdxTestFiles.writeImages(dir.resolve("test-images"), testLabels.length, 2, 3,
                new byte[testLabels.length * 6], false);
        IdxTestFiles.writeLabels(dir.resolve("test-labels"), testLabels, false);
    }

    @Test
    void loadsAndNormalises() throws IOException {
        write(3, new byte[] {3, 0, 2}, new byte[] {1});

        Dataset dataset = new Tiny(true).load(new NoOptions(), inDir());

        assertThat(dataset.info().id()).isEqualTo("tiny");
        assertThat(dataset.info().sampleShape()).isEqualTo(Shape.of(1, 2, 3));
        assertThat(dataset.info().classes()).isEqualTo(4);
        assertThat(dataset.info().sha256()).containsEntry("train-images", "00".repeat(32)).hasSize(4);
        assertThat(dataset.validation()).isEmpty();
        assertThat(dataset.train().size()).isEqualTo(3);
        assertThat(dataset.train().labels()).containsExactly(3, 0, 2);
        assertThat(dataset.train().features()[0]).isCloseTo(-2f, within(1e-6f)); // (0 - 0.5) / 0.25
        assertThat(dataset.train().features()[1]).isCloseTo(2f, within(1e-6f)); // (1 - 0.5) / 0.25
        assertThat(dataset.test().size()).isEqualTo(1);
        assertThat(dataset.test().labels()).containsExactly(1);
    }

    @Test
    void withoutNormalisationPixelsAreInUnitRange() throws IOException {
        write(2, new byte[] {1, 1}, new byte[] {0});

        Dataset dataset = new Tiny(false).load(new NoOptions(), inDir());

        assertThat(dataset.train().features()).startsWith(0f, 1f, 0f, 1f);
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        write(3, new byte[] {1, 2}, new byte[] {0});

        assertThatThrownBy(() -> new Tiny(true).load(new NoOptions(), inDir()))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(dir.resolve("train-images") + " holds 3 images")
                .hasMessageContaining(dir.resolve("train-labels") + " holds 2 labels");
    }

    @Test
    void labelOutOfRangeIsAnError() throws IOException {
        write(2, new byte[] {1, 4}, new byte[] {0});

        assertThatThrownBy(() -> new Tiny(true).load(new NoOptions(), inDir()))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(dir.resolve("train-labels").toString())
                .hasMessageContaining("label 1 is 4");
    }

    @Test
    void wrongImageSizeIsAnError() throws IOException {
        write(1, new byte[] {1}, new byte[] {0});
        IdxTestFiles.writeImages(dir.resolve("train-images"), 1, 3, 2, new byte[6], true);

        assertThatThrownBy(() -> new Tiny(true).load(new NoOptions(), inDir()))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(dir.resolve("train-images").toString())
                .hasMessageContaining("3 × 2 pixels");
    }

    @Test
    void mirrorsAreBasePlusPath() {
        assertThat(FILES.trainImages().mirrors()).extracting(Object::toString)
                .containsExactly("https://example.invalid/train-images");
        assertThat(new Tiny(true).files(new NoOptions())).containsExactlyElementsOf(FILES.all());
    }
}
