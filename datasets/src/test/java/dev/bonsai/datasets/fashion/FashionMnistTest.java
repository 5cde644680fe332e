package dev.bonsai.datasets.fashion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.datasets.Fixtures;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path cache;

    @Test
    void declaresTheFourOriginalFilesWithTheirChecksums() {
        FashionMnistProvider p = new FashionMnistProvider();
        assertThat(p.id()).isEqualTo("fashion-mnist");
        assertThat(p.files(FashionMnistOptions.defaults())).extracting(DataFile::path).containsExactly(
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz");
        assertThat(p.files(FashionMnistOptions.defaults()).get(0).sha256())
                .isEqualTo("3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84");
        assertThat(p.files(FashionMnistOptions.defaults()).get(0).mirrors()).isNotEmpty();
        assertThat(p.sampleShape()).isEqualTo(new dev.bonsai.datasets.mnist.MnistProvider().sampleShape());
    }

    @Test
    void loadsTheRealFiles() {
        Path root = Fixtures.realData("Fashion-MNIST", "fashion-mnist/train-images-idx3-ubyte.gz");

        Dataset d = new FashionMnistProvider().load(new FashionMnistOptions(false), Fixtures.root(root, cache));

        assertThat(d.train().size()).isEqualTo(60_000);
        assertThat(d.test().size()).isEqualTo(10_000);
        assertThat(d.info().classes()).isEqualTo(10);
        assertThat(d.train().features()).hasSize(60_000 * 784);
        int[] counts = new int[10];
        Arrays.stream(d.train().labels()).forEach(l -> counts[l]++);
        assertThat(counts).containsOnly(6_000);
        // the first training label of Fashion-MNIST is 9 (ankle boot), the first test label 9 as well
        assertThat(d.train().labels()[0]).isEqualTo(9);
        assertThat(d.test().labels()[0]).isEqualTo(9);
        double mean = 0;
        for (float v : d.train().features()) {
            mean += v;
        }
        assertThat(mean / d.train().features().length).isBetween(0.285, 0.287);
        assertThat(cache).isEmptyDirectory();
    }
}
