package dev.bonsai.testkit.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetProvider;
import dev.bonsai.api.data.Split;
import dev.bonsai.testkit.DefaultOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link DatasetProvider} meets. A provider's tests extend this class, implement
 * {@link #provider()} and {@link #fixture(Path)} (write small, well-formed files at the paths
 * {@code provider().files(options())} declares), and override {@link #options()} when an option has no default
 * (or {@link #options(Path)} when the options name the files).
 *
 * <p>It checks the plugin's identity (id, description, SPI version), that declared files have relative paths, that
 * the fixture loads into non-empty train and test splits whose shapes, labels and features agree with the dataset's
 * info, that loading is deterministic and leaves the validation split to the host, and that an empty file is
 * refused with a {@link BonsaiException} naming it.
 *
 * @param <O> the provider's options record
 */
public abstract class DatasetProviderContract<O extends Record> {
    /** A fresh folder per test. */
    @TempDir
    protected Path dir;

    /** For subclasses. */
    protected DatasetProviderContract() {
    }

    /** The provider under test. */
    protected abstract DatasetProvider<O> provider();

    /** Writes small, well-formed files for {@code provider().files(options())} into {@code folder}. */
    protected abstract void fixture(Path folder) throws IOException;

    /** The options to load with; by default every component at its default. */
    protected O options() {
        return DefaultOptions.defaults(provider().optionsType());
    }

    /**
     * The options to load the fixture in {@code folder} with; by default {@link #options()}. Providers of a user's
     * own files, named in the options, override it to point at {@code folder}.
     */
    protected O options(Path folder) {
        return options();
    }

    private Dataset load(Path folder) {
        DataFiles files = (datasetId, file) -> folder.resolve(file.path());
        return provider().load(options(folder), files);
    }

    private Path written(String name) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        fixture(folder);
        return folder;
    }

    /** The id is lower-case kebab-case, the description one non-blank line, the SPI version this API's. */
    @Test
    public void identityIsWellFormed() {
        DatasetProvider<O> p = provider();
        assertThat(p.id()).as("id()").isNotNull().matches("[a-z0-9]+(-[a-z0-9]+)*");
        assertThat(p.description()).as("description() of '%s'", p.id()).isNotBlank().doesNotContain("\n");
        assertThat(p.spiVersion()).as("spiVersion() of '%s': implement it as 'return Spi.VERSION;'", p.id())
                .isEqualTo(Spi.VERSION);
        assertThat(options()).isInstanceOf(p.optionsType());
    }

    /** Declared files have relative paths inside the dataset's folder. */
    @Test
    public void declaresItsFilesWithRelativePaths() {
        List<DataFile> files = provider().files(options());
        assertThat(files).as("files(options) of '%s'", provider().id()).isNotNull();
        for (DataFile f : files) {
            assertThat(f.path()).isNotBlank().doesNotStartWith("/").doesNotContain("..");
        }
    }

    /** The fixture loads into non-empty splits that agree with the dataset's info. */
    @Test
    public void loadsConsistentSplits() throws IOException {
        Dataset d = load(written("data"));
        assertThat(d.validation()).as("validation split: the host makes it, the provider must not").isEmpty();
        for (Split s : List.of(d.train(), d.test())) {
            assertThat(s.size()).as("samples in split %s", s.name()).isPositive();
            assertThat(s.sampleShape()).as("sample shape of split %s", s.name()).isEqualTo(d.info().sampleShape());
            assertThat((long) s.features().length).isEqualTo(s.size() * s.sampleShape().size());
            for (int label : s.labels()) {
                if (label < 0 || label >= d.info().classes()) {
                    fail("label %d in split %s is outside [0, %d)", label, s.name(), d.info().classes());
                }
            }
            for (float x : s.features()) {
                if (!Float.isFinite(x)) {
                    fail("split %s holds a non-finite feature %s", s.name(), x);
                }
            }
        }
    }

    /** Loading the same files twice gives the same data. */
    @Test
    public void loadsDeterministically() throws IOException {
        Dataset a = load(written("a"));
        Dataset b = load(written("b"));
        assertThat(b.info().sampleShape()).isEqualTo(a.info().sampleShape());
        assertThat(b.train().features()).containsExactly(a.train().features());
        assertThat(b.train().labels()).containsExactly(a.train().labels());
        assertThat(b.test().features()).containsExactly(a.test().features());
        assertThat(b.test().labels()).containsExactly(a.test().labels());
    }

    /** An empty file is refused with a {@link BonsaiException} naming it. */
    @Test
    public void anEmptyFileIsRefusedWithItsName() throws IOException {
        List<DataFile> files = provider().files(options());
        assumeFalse(files.isEmpty(), "the provider declares no files");
        for (DataFile f : files) {
            Path folder = written("empty-" + Math.abs(f.path().hashCode()));
            Files.write(folder.resolve(f.path()), new byte[0]);
            String name = Path.of(f.path()).getFileName().toString();
            assertThatThrownBy(() -> load(folder)).as("loading '%s' with %s empty", provider().id(), f.path())
                    .isInstanceOf(BonsaiException.class).hasMessageContaining(name);
        }
    }
}
