package dev.bonsai.datasets.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.Split;
import dev.bonsai.datasets.files.DataFileResolver;
import dev.bonsai.datasets.files.DataLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the real MNIST files from {@code BONSAI_DATA_DIR}, offline, with a temporary cache. */
class MnistRealDataTest {
    @TempDir
    Path cache;

    private DataFileResolver resolver;

    @BeforeEach
    void findData() {
        String dir = System.getenv(DataLocations.DATA_DIR_VARIABLE);
        assumeTrue(dir != null && !dir.isBlank(),
                "BONSAI_DATA_DIR is not set: skipping the real-MNIST test (set it to a folder holding mnist/)");
        Path root = Path.of(dir);
        assumeTrue(Files.isRegularFile(root.resolve("mnist").resolve("train-images-idx3-ubyte.gz")),
                "BONSAI_DATA_DIR=" + dir + " has no mnist/ folder: skipping the real-MNIST test");
        resolver = new DataFileResolver(
                new DataLocations(Optional.empty(), Optional.empty(), Optional.of(root), cache, true));
    }

    @Test
    void loadsNormalisedMnist() {
        Dataset mnist = new MnistProvider().load(new MnistOptions(true), resolver);

        assertThat(mnist.train().size()).isEqualTo(60_000);
        assertThat(mnist.test().size()).isEqualTo(10_000);
        assertThat(Arrays.copyOf(mnist.train().labels(), 5)).containsExactly(5, 0, 4, 1, 9);
        assertThat(Arrays.copyOf(mnist.test().labels(), 5)).containsExactly(7, 2, 1, 0, 4);
        assertThat(mnist.info().sha256()).hasSize(4)
                .containsEntry("train-images-idx3-ubyte.gz",
                        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609");
        // the pixels are held as bytes: 47 MB of features instead of 188 MB of floats (plus 0.24 MB of labels)
        assertThat(mnist.train().isCompact()).isTrue();
        assertThat(mnist.train().heldBytes()).isEqualTo(60_000L * 784 + 4L * 60_000);
        assertThat(mnist.test().heldBytes()).isEqualTo(10_000L * 784 + 4L * 10_000);
        assertThat(mnist.train().features()).hasSize(60_000 * 784);

        float[] range = range(mnist.train());
        assertThat(range[0]).isCloseTo((float) ((0 - 0.1307) / 0.3081), within(1e-5f));
        assertThat(range[1]).isCloseTo((float) ((1 - 0.1307) / 0.3081), within(1e-5f));
        double[] moments = moments(mnist.train());
        assertThat(moments[0]).isCloseTo(0.0, within(0.01));
        assertThat(moments[1]).isCloseTo(1.0, within(0.01));
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void loadsUnitRangeMnist() {
        Dataset mnist = new MnistProvider().load(new MnistOptions(false), resolver);

        float[] range = range(mnist.test());
        assertThat(range[0]).isEqualTo(0f);
        assertThat(range[1]).isEqualTo(1f);
        assertThat(moments(mnist.train())[0]).isCloseTo(0.1307, within(0.001));
    }

    private static float[] range(Split split) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : split.features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new float[] {min, max};
    }

    private static double[] moments(Split split) {
        double sum = 0;
        double squares = 0;
        for (float v : split.features()) {
            sum += v;
            squares += (double) v * v;
        }
        double n = split.features().length;
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(squares / n - mean * mean)};
    }
}
