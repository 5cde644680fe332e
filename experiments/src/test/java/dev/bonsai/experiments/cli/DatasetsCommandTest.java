package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bonsai.api.Plugin;
import dev.bonsai.datasets.files.DataLocations;
import dev.bonsai.datasets.mnist.MnistProvider;
import dev.bonsai.datasets.text.TinyShakespeareProvider;
import dev.bonsai.datasets.user.CsvProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetsCommandTest {
    @TempDir
    Path tmp;

    private String run(Collection<Plugin<?>> datasets, String... args) {
        DataLocations locations = new DataLocations(Optional.empty(), Optional.empty(), Optional.empty(),
                tmp.resolve("cache"), true);
        CommandLine cli = new CommandLine(new DatasetsCommand(() -> locations, () -> datasets));
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void listsPresentVerifiedMismatchedAndMissingFiles() throws IOException {
        Path root = tmp.resolve("data");
        Files.createDirectories(root.resolve("mnist"));
        Files.writeString(root.resolve("mnist/t10k-labels-idx1-ubyte.gz"), "not the real file");

        String out = run(List.of(new MnistProvider(), new CsvProvider()), "--data-dir", root.toString());

        assertThat(out).contains("DATASET", "FILE", "STATUS", "WHERE");
        assertThat(out.lines().filter(l -> l.startsWith("mnist"))).hasSize(4);
        assertThat(out).containsPattern("mnist +train-images-idx3-ubyte.gz +missing +download from https://");
        assertThat(out).containsPattern("mnist +t10k-labels-idx1-ubyte.gz +SHA-256 MISMATCH")
                .contains(root.resolve("mnist/t10k-labels-idx1-ubyte.gz") + " (under --data-dir)");
        assertThat(out).containsPattern("csv +\\(your own files");
    }

    @Test
    void noVerifyOnlyLocates() throws IOException {
        Path root = tmp.resolve("data");
        Files.createDirectories(root.resolve("tinyshakespeare"));
        Files.writeString(root.resolve("tinyshakespeare/input.txt"), "anything");

        String out = run(List.of(new TinyShakespeareProvider()), "--data-dir", root.toString(), "--no-verify");

        assertThat(out).containsPattern("tinyshakespeare +input.txt +present, not verified");
    }

    /** A descriptor switches datasets by id alone: every dataset's options bind from their defaults and keys. */
    @ParameterizedTest
    @ValueSource(strings = {"mnist", "fashion-mnist", "cifar-10", "{id: cifar-10, normalize: false}", "tinyshakespeare",
            "{id: tinyshakespeare, context: 128, stride: 32}", "wikitext-2", "{id: wikitext-2, variant: raw}",
            "tinystories", "{id: tinystories, context: 256, calibration_stride: 4}", "wikitext-2-raw",
            "{id: wikitext-2-raw, context: 128}",
            "{id: csv, file: data.csv, label: species, header: true, delimiter: ';', normalize: true}",
            "{id: text, file: corpus.txt, level: word, test_fraction: 0.2}",
            "{id: idx, train_images: a, train_labels: b, test_images: c, test_labels: d, shape: [1, 28, 28]}"})
    void everyDatasetBindsFromADescriptor(String dataset) throws IOException {
        Path file = Files.writeString(tmp.resolve("d.yaml"), "name: switch\ndataset: " + dataset
                + "\nmodel: {id: lenet-300-100}\ntrain: {epochs: 1}\nprune: {strategies: [magnitude], "
                + "sparsities: [0.5]}\n");

        ExperimentDescriptor d = Bonsai.create().read(file, List.of());

        assertThat(d.dataset().id()).isEqualTo(dataset.startsWith("{") ? dataset.substring(5, dataset.indexOf(','))
                : dataset);
    }

    @Test
    void theSharedCopyIsVerified() {
        String dir = System.getenv("BONSAI_DATA_DIR");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir, "mnist")),
                "BONSAI_DATA_DIR is not set to a folder with mnist/: skipping the shared-data listing test");

        CommandLine cli = new CommandLine(new DatasetsCommand());
        StringWriter sw = new StringWriter();
        cli.setOut(new PrintWriter(sw));
        assertThat(cli.execute()).isZero();
        String out = sw.toString();

        assertThat(out).containsPattern("mnist +train-images-idx3-ubyte.gz +verified ✓");
        assertThat(out).containsPattern("fashion-mnist +t10k-labels-idx1-ubyte.gz +verified ✓");
        assertThat(out).containsPattern("tinyshakespeare +input.txt +verified ✓");
        assertThat(out).containsPattern("wikitext-2 +wiki.valid.tokens +verified ✓");
        assertThat(out).containsPattern("wikitext-2 +wikitext-2-raw/wiki.test.raw +verified ✓");
        assertThat(out).containsPattern("wikitext-2 +wiki.train.tokens +absent \\(optional\\)");
        assertThat(out).containsPattern("tinystories +tinystories_val.txt +verified ✓");
        assertThat(out).containsPattern("wikitext-2-raw +wiki.test.raw +verified ✓");
        assertThat(out).containsPattern("cifar-10 +cifar-10-binary.tar.gz +missing");
    }
}
