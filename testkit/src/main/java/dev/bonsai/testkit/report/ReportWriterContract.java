package dev.bonsai.testkit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.Spi;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.testkit.DefaultOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link ReportWriter} meets. A writer's tests extend this class and implement
 * {@link #writer()}; writers whose options have required components also override {@link #options()}.
 *
 * <p>It checks the plugin's identity (id, description, SPI version), that its options bind from their defaults,
 * that it writes non-empty files inside the output folder and returns exactly them, that it leaves no temporary
 * files behind, that writing again replaces the report, and that failed trials with missing fields and
 * non-finite metrics (NaN, ±∞) do not break it. Override {@link #records()} to write other records.
 *
 * @param <O> the writer's options record
 */
public abstract class ReportWriterContract<O extends Record> {
    /** A fresh folder per test. */
    @TempDir
    protected Path dir;

    /** For subclasses. */
    protected ReportWriterContract() {
    }

    /** The writer under test. */
    protected abstract ReportWriter<O> writer();

    /** The options to write with; by default every component at its default. */
    protected O options() {
        return DefaultOptions.defaults(writer().optionsType());
    }

    /**
     * The records written: two strategies at two sparsities over two seeds, a dense baseline, and one failed
     * trial with missing fields.
     */
    protected List<TrialRecord> records() {
        List<TrialRecord> out = new ArrayList<>();
        int n = 0;
        for (long seed = 1; seed <= 2; seed++) {
            out.add(record("t-" + n++, null, 0, seed, 0.98 - seed * 0.001));
            for (String strategy : List.of("magnitude", "random")) {
                for (double sparsity : List.of(0.5, 0.9)) {
                    double accuracy = 0.97 - sparsity * (strategy.equals("random") ? 0.3 : 0.05) - seed * 0.001;
                    out.add(record("t-" + n++, strategy, sparsity, seed, accuracy));
                }
            }
        }
        Map<String, Double> odd = new LinkedHashMap<>();
        odd.put("test_accuracy", Double.NaN);
        odd.put("test_loss", Double.POSITIVE_INFINITY);
        out.add(new TrialRecord("contract", "t-failed", TrialRecord.FAILED, "out of memory\nat fc1, \"quoted\"", null,
                null, "magnitude", null, null, null, 0.95, Double.NaN, 0, 0, 3, null, null, odd, Map.of(), Map.of()));
        return out;
    }

    private static TrialRecord record(String id, String strategy, double sparsity, long seed, double accuracy) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("dense_test_accuracy", 0.98);
        metrics.put("pruned_test_accuracy", accuracy - 0.1);
        metrics.put("test_accuracy", accuracy);
        metrics.put("test_loss", 1 - accuracy);
        return new TrialRecord("contract", id, TrialRecord.OK, null, "lenet-300-100", "mnist", strategy, "global",
                "unstructured", "one-shot", sparsity, sparsity, 266_610, Math.round(266_610 * (1 - sparsity)), seed,
                "djl", "cpu", metrics, Map.of("train", 10.0, "prune", 0.5, "finetune", 2.0, "total", 12.5),
                Map.of("git_revision", "0123abc", "jvm", "17"));
    }

    /** The id is lower-case kebab-case, the description one non-blank line, the SPI version this API's. */
    @Test
    public void identityIsWellFormed() {
        ReportWriter<O> w = writer();
        assertThat(w.id()).as("id()").isNotNull().matches("[a-z0-9]+(-[a-z0-9]+)*");
        assertThat(w.description()).as("description() of '%s'", w.id()).isNotBlank().doesNotContain("\n");
        assertThat(w.spiVersion()).as("spiVersion() of '%s': implement it as 'return Spi.VERSION;'", w.id())
                .isEqualTo(Spi.VERSION);
        assertThat(w.optionsType().isRecord()).as("optionsType() of '%s' is a record", w.id()).isTrue();
        assertThat(options()).isInstanceOf(w.optionsType());
    }

    /** It writes non-empty files inside the folder, returns exactly them, and leaves nothing else behind. */
    @Test
    public void writesNonEmptyFilesInsideTheFolderAndReturnsThem() throws IOException {
        Path out = dir.resolve("report");
        Files.createDirectories(out);
        List<Path> written = writer().write(records(), out, options());
        assertThat(written).as("files written by '%s'", writer().id()).isNotEmpty();
        for (Path p : written) {
            assertThat(p.toAbsolutePath().normalize()).startsWith(out.toAbsolutePath().normalize());
            assertThat(p).isRegularFile();
            assertThat(Files.size(p)).as("size of %s", p).isPositive();
        }
        try (Stream<Path> all = Files.walk(out)) {
            List<Path> files = all.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize()).toList();
            assertThat(files).as("files in the folder after '%s' wrote (no temporary files left)", writer().id())
                    .containsExactlyInAnyOrderElementsOf(written.stream()
                            .map(p -> p.toAbsolutePath().normalize()).toList());
        }
    }

    /** Writing again replaces the report: the same files, whole. */
    @Test
    public void writingAgainReplacesTheReport() throws IOException {
        Path out = dir.resolve("again");
        Files.createDirectories(out);
        List<Path> first = writer().write(records(), out, options());
        List<Path> second = writer().write(records().subList(0, 3), out, options());
        assertThat(second).containsExactlyInAnyOrderElementsOf(first);
        for (Path p : second) {
            assertThat(Files.size(p)).isPositive();
        }
    }
}
