package dev.bonsai.datasets.cifar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.Dataset;
import dev.bonsai.datasets.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CIFAR-10 archive from BONSAI_DATA_DIR (not in the project's shared copy: skipped there). */
class Cifar10RealDataTest {
    @TempDir
    Path cache;

    @Test
    void loadsTheOfficialArchive() {
        Path root = Fixtures.realData("CIFAR-10", "cifar-10/cifar-10-binary.tar.gz");

        Dataset d = new Cifar10Provider().load(new Cifar10Options(false), Fixtures.root(root, cache));

        assertThat(d.train().size()).isEqualTo(50_000);
        assertThat(d.test().size()).isEqualTo(10_000);
        int[] train = new int[10];
        int[] test = new int[10];
        for (int l : d.train().labels()) {
            train[l]++;
        }
        for (int l : d.test().labels()) {
            test[l]++;
        }
        assertThat(train).containsOnly(5_000);
        assertThat(test).containsOnly(1_000);
        assertThat(d.test().labels()[0]).isEqualTo(3); // the first test image is a cat
    }
}
