package dev.bonsai.reports.markdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.Spi;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.Records;
import dev.bonsai.reports.csv.CsvReportWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownReportWriterTest {
    private static final String FINAL = "## Test accuracy after fine-tuning (%)";
    private static final String PRUNED = "## Test accuracy after pruning, before fine-tuning (%)";
    private static final String SPARSITY = "## Achieved sparsity and non-zero parameters";
    private static final String BASELINE = "## Dense baseline";
    private static final String ERROR = "CUDA out of memory while pruning fc1";

    @TempDir
    Path dir;

    /**
     * obd and magnitude at 90% and 50% (listed in that order) for seeds 1–3, random at 50% for seed 1 only, and
     * one failed obd trial at 90% (seed 4) whose metrics must not count.
     */
    private static List<TrialRecord> sweep() {
        SplittableRandom random = new SplittableRandom(7);
        double[] dense = {Double.NaN, 0.98123, 0.98311, 0.97977};
        List<TrialRecord> records = new ArrayList<>();
        int id = 0;
        for (String strategy : List.of("obd", "magnitude")) {
            for (double target : List.of(0.9, 0.5)) {
                for (int seed = 1; seed <= 3; seed++) {
                    double pruned = 0.5 + 0.4 * random.nextDouble();
                    double finetuned = 0.95 + 0.03 * random.nextDouble();
                    records.add(Records.ok("t" + id++, strategy, target, seed,
                            Records.accuracies(dense[seed], pruned, finetuned)));
                }
            }
        }
        records.add(Records.failed("f-1", "obd", 0.9, 4, ERROR, Records.accuracies(0.11, 0.12, 0.13)));
        records.add(Records.ok("t" + id, "random", 0.5, 1,
                Records.accuracies(dense[1], 0.3 + 0.1 * random.nextDouble(), 0.9 + 0.05 * random.nextDouble())));
        return records;
    }

    @Test
    void languageModelsGetLossPerplexityAndBitsPerCharacterTables() {
        double[] losses = {1.52, 1.48, 1.61};
        List<TrialRecord> records = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            Map<String, Double> m = new LinkedHashMap<>(Records.accuracies(0.5, 0.4, 0.45));
            double loss = losses[seed - 1];
            m.put("test_loss", loss);
            m.put("test_perplexity", Math.exp(loss));
            m.put("test_bits_per_character", loss / Math.log(2));
            records.add(Records.ok("lm" + seed, "magnitude", 0.5, seed, m));
        }
        String md = MarkdownReportWriter.render(records, MarkdownOptions.DEFAULTS);

        String[][] sections = {{"## Language model: test loss (nats per token)", "test_loss"},
            {"## Language model: test perplexity", "test_perplexity"},
            {"## Language model: test bits per character", "test_bits_per_character"}};
        for (String[] section : sections) {
            double[] values = records.stream().mapToDouble(r -> r.metric(section[1])).toArray();
            double mean = Arrays.stream(values).sum() / 3;
            String cell = table(md, section[0]).get(0).get("50%");
            assertThat(cell).as(section[0]).startsWith(String.format(Locale.ROOT, "%.4f ± ", mean)).endsWith("(n=3)");
        }
        // four decimals, where accuracies have two: compared models' losses often differ in the third
        assertThat(table(md, "## Language model: test loss (nats per token)").get(0).get("50%"))
                .startsWith("1.5367 ± 0.0666 [");
        assertThat(MarkdownReportWriter.render(sweep(), MarkdownOptions.DEFAULTS)).doesNotContain("Language model");
    }

    @Test
    void aValidationSplitGetsAValidationLossTable() {
        double[] losses = {0.0712, 0.0698, 0.0731};
        List<TrialRecord> records = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            Map<String, Double> m = new LinkedHashMap<>(Records.accuracies(0.98, 0.97, 0.98));
            m.put("validation_loss", losses[seed - 1]);
            records.add(Records.ok("v" + seed, "wanda", 0.5, seed, m));
        }
        String md = MarkdownReportWriter.render(records, MarkdownOptions.DEFAULTS);

        assertThat(table(md, "## Validation loss after fine-tuning").get(0).get("50%"))
                .startsWith(String.format(Locale.ROOT, "%.4f ± ", Arrays.stream(losses).sum() / 3)).endsWith("(n=3)");
        assertThat(MarkdownReportWriter.render(sweep(), MarkdownOptions.DEFAULTS)).doesNotContain("Validation loss");
    }

    @Test
    void tableCellsAreMeanAndStdOverSeedsOfTheSuccessfulTrials() {
        List<TrialRecord> records = sweep();
        String md = MarkdownReportWriter.render(records, MarkdownOptions.DEFAULTS);

        for (String[] section : new String[][] {{FINAL, "test_accuracy"}, {PRUNED, "pruned_test_accuracy"}}) {
            List<Map<String, String>> table = table(md, section[0]);
            assertThat(table).extracting(row -> row.get("strategy")).containsExactly("obd", "magnitude", "random");
            assertThat(table.get(0).keySet()).containsExactly("strategy", "50%", "90%");
            for (Map<String, String> row : table) {
                for (double target : List.of(0.5, 0.9)) {
                    String strategy = row.get("strategy");
                    Predicate<TrialRecord> inCell = r -> r.strategy().equals(strategy) && r.targetSparsity() == target;
                    double[] values = records.stream().filter(inCell.and(TrialRecord::ok))
                            .mapToDouble(r -> r.metrics().get(section[1])).toArray();
                    int failed = (int) records.stream().filter(inCell.and(r -> !r.ok())).count();
                    String header = target == 0.5 ? "50%" : "90%";
                    assertThat(row.get(header)).as(section[0] + " " + strategy + " " + header)
                            .isEqualTo(values.length == 0 ? "–" : expectedCell(values, failed, 2, true));
                }
            }
        }
        List<Map<String, String>> finals = table(md, FINAL);
        assertThat(finals.get(0).get("90%")).endsWith("(n=3, 1 failed)");
        assertThat(finals.get(1).get("90%")).endsWith("(n=3)");
        assertThat(finals.get(2).get("50%")).matches("\\d+\\.\\d\\d ± – \\(n=1\\)");
        assertThat(finals.get(2).get("90%")).isEqualTo("–");
    }

    @Test
    void denseBaselineIsOneValuePerSeedWithoutTheFailedTrial() {
        List<TrialRecord> records = sweep();
        String md = MarkdownReportWriter.render(records, MarkdownOptions.DEFAULTS);

        List<Map<String, String>> table = table(md, BASELINE);
        assertThat(table).hasSize(1);
        assertThat(table.get(0)).containsEntry("model", "lenet-300-100").containsEntry("dataset", "mnist")
                .containsEntry("engine", "djl").containsEntry("device", "cpu");
        assertThat(table.get(0).get("dense test accuracy (%)"))
                .isEqualTo(expectedCell(new double[] {0.98123, 0.98311, 0.97977}, 0, 2, true));
    }

    @Test
    void engineGetsItsOwnBaselineRowWithTrainingTimeAndThroughput() {
        List<TrialRecord> records = new ArrayList<>();
        for (TrialRecord r : sweep().stream().filter(TrialRecord::ok).toList()) {
            records.add(Records.onEngine(r, "djl", 2.0 + r.seed(), 50_000));
            records.add(Records.onEngine(r, "dl4j", 4.0 + r.seed(), 20_000));
        }
        String md = MarkdownReportWriter.render(records, MarkdownOptions.DEFAULTS);

        List<Map<String, String>> table = table(md, BASELINE);
        assertThat(table).extracting(row -> row.get("engine")).containsExactly("djl", "dl4j");
        // seeds 1–3: dense training 3, 4, 5 s on djl and 5, 6, 7 s on dl4j
        assertThat(table).extracting(row -> row.get("dense training (s)")).containsExactly("4.0", "6.0");
        assertThat(table).extracting(row -> row.get("inference (samples/s)")).containsExactly("50000", "20000");
        assertThat(table(md, FINAL).get(0).keySet()).contains("engine");
    }

    @Test
    void achievedSparsityAndNonzeroParameters() {
        List<TrialRecord> records = sweep();
        String md = MarkdownReportWriter.render(records, new MarkdownOptions(3));

        Map<String, String> magnitude = table(md, SPARSITY).get(1);
        List<TrialRecord> cell = records.stream()
                .filter(r -> r.ok() && r.strategy().equals("magnitude") && r.targetSparsity() == 0.9).toList();
        double[] achieved = cell.stream().mapToDouble(TrialRecord::achievedSparsity).toArray();
        long nonzero = Math.round(cell.stream().mapToLong(TrialRecord::nonzeroParameters).sum() / 3.0);
        String counts = String.format(Locale.ROOT, " · %,d / %,d", nonzero, 266_610);
        String stat = expectedCell(achieved, 0, 3, false);
        assertThat(magnitude.get("90%")).isEqualTo(stat + counts);
        assertThat(stat).startsWith("90.010 ± 0.000 (n=3)");
    }

    @Test
    void failedTrialsAreListedWithTheirErrorsAndTheProvenanceIsSummarised() {
        String md = MarkdownReportWriter.render(sweep(), MarkdownOptions.DEFAULTS);

        assertThat(md).startsWith("# exp\n");
        assertThat(md).contains("## Failed trials");
        assertThat(md.lines().filter(l -> l.startsWith("- `f-1`")))
                .singleElement().asString().contains("obd").contains("seed 4").endsWith(": " + ERROR);
        assertThat(md).contains("- **Trials:** 14 (13 ok, 1 failed)")
                .contains("- **Dataset SHA-256:** `abc123`")
                .contains("- **Bonsai version:** `0.1.0`")
                .contains("- **Git revision:** `deadbeef`")
                .contains("- **Engines / devices:** `djl/cpu` (14 trials)")
                .contains("- **Seeds:** 1, 2, 3, 4");
    }

    @Test
    void theMachinesAreListedPerEngineAndDeviceAsRecorded() {
        TrialRecord r = Records.ok("a", "obd", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97));
        Map<String, String> provenance = new LinkedHashMap<>(r.provenance());
        provenance.put("cpu", "AMD EPYC 7B13 × 16");
        provenance.put("os", "Linux");
        TrialRecord withMachine = new TrialRecord(r.experiment(), r.trialId(), r.status(), r.error(), r.model(),
                r.dataset(), r.strategy(), r.scope(), r.structure(), r.schedule(), r.targetSparsity(),
                r.achievedSparsity(), r.totalParameters(), r.nonzeroParameters(), r.seed(), r.engine(), r.device(),
                r.metrics(), r.timings(), provenance);

        assertThat(MarkdownReportWriter.render(List.of(withMachine), MarkdownOptions.DEFAULTS))
                .contains("- **Machines (as recorded):** `djl/cpu`: AMD EPYC 7B13 × 16; Linux\n");
        assertThat(MarkdownReportWriter.render(List.of(r), MarkdownOptions.DEFAULTS))
                .contains("- **Machines (as recorded):** *not recorded*\n");
    }

    @Test
    void rowsSplitByScopeWhenThereAreSeveralOrderedByFirstAppearanceOfStrategyThenScope() {
        List<TrialRecord> records = new ArrayList<>();
        records.add(Records.ok("a", "obd", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97)));
        records.add(Records.withScope(Records.ok("b", "magnitude", 0.5, 1, Records.accuracies(0.98, 0.8, 0.96)),
                "layerwise"));
        records.add(Records.ok("c", "magnitude", 0.5, 1, Records.accuracies(0.98, 0.7, 0.95)));
        records.add(Records.withScope(Records.ok("d", "obd", 0.5, 1, Records.accuracies(0.98, 0.6, 0.94)),
                "layerwise"));

        List<Map<String, String>> table = table(MarkdownReportWriter.render(records, MarkdownOptions.DEFAULTS),
                FINAL);
        assertThat(table.get(0).keySet()).containsExactly("strategy", "scope", "50%");
        assertThat(table).extracting(r -> r.get("strategy") + "/" + r.get("scope") + "=" + r.get("50%"))
                .containsExactly("obd/global=97.00 ± – (n=1)", "obd/layerwise=94.00 ± – (n=1)",
                        "magnitude/global=95.00 ± – (n=1)", "magnitude/layerwise=96.00 ± – (n=1)");
    }

    @Test
    void pairedComparisonsCompareStrategiesOnTheSameSeedsAtEachSparsity() {
        List<TrialRecord> records = new ArrayList<>();
        double[] obd = {0.971, 0.975, 0.973, 0.978, 0.970};
        double[] magnitude = {0.965, 0.969, 0.967, 0.960, 0.970};
        for (int seed = 1; seed <= 5; seed++) {
            records.add(Records.ok("o" + seed, "obd", 0.9, seed, Records.accuracies(0.98, 0.5, obd[seed - 1])));
            records.add(Records.ok("m" + seed, "magnitude", 0.9, seed,
                    Records.accuracies(0.98, 0.5, magnitude[seed - 1])));
        }
        // random has seed 1 only: one pair with each, no tests
        records.add(Records.ok("r1", "random", 0.9, 1, Records.accuracies(0.98, 0.1, 0.90)));
        // a failed magnitude trial of seed 6 and an obd trial of seed 7 without a partner are not paired
        records.add(Records.failed("mf", "magnitude", 0.9, 6, ERROR, Map.of()));
        records.add(Records.ok("o7", "obd", 0.9, 7, Records.accuracies(0.98, 0.5, 0.99)));

        String md = MarkdownReportWriter.render(records, MarkdownOptions.DEFAULTS);
        List<Map<String, String>> table = table(md, "## Paired comparisons of strategies (test accuracy after"
                + " fine-tuning)");
        assertThat(table).extracting(r -> r.get("A") + "-" + r.get("B") + " n=" + r.get("n"))
                .containsExactly("obd-magnitude n=5", "obd-random n=1", "magnitude-random n=1");
        Map<String, String> first = table.get(0);
        assertThat(first.get("sparsity")).isEqualTo("90%");
        // differences in pp: 0.6, 0.6, 0.6, 1.8, 0.0 → mean 0.72; the Wilcoxon test drops the zero: four positive
        // differences, exact p = 2/16; the t-test p was computed with SciPy (ttest_rel)
        assertThat(first.get("Δ A − B (pp)")).isEqualTo("+0.72");
        assertThat(first.get("Wilcoxon p")).isEqualTo("0.1250");
        assertThat(first.get("paired t p")).isEqualTo("0.0705"); // SciPy: 0.07048399691021992
        assertThat(first.get("95% CI of Δ")).isEqualTo("[-0.10, 1.54]"); // SciPy: -0.0961, 1.5361
        assertThat(table.get(1)).containsEntry("paired t p", "–").containsEntry("Wilcoxon p", "1.0000")
                .containsEntry("Δ A − B (pp)", "+7.10");
    }

    @Test
    void writesReportMdAtomically() throws IOException {
        List<TrialRecord> records = sweep();
        List<Path> written = new MarkdownReportWriter().write(records, dir.resolve("out"), MarkdownOptions.DEFAULTS);

        assertThat(written).containsExactly(dir.resolve("out").resolve("report.md"));
        assertThat(Files.readString(written.get(0)))
                .isEqualTo(MarkdownReportWriter.render(records, MarkdownOptions.DEFAULTS));
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files).containsExactly(written.get(0));
        }
    }

    @Test
    void noRecordsStillGiveAReport() {
        assertThat(MarkdownReportWriter.render(List.of(), MarkdownOptions.DEFAULTS))
                .contains("No trial records.");
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> new MarkdownOptions(7)).isInstanceOf(IllegalArgumentException.class);
        assertThat(MarkdownOptions.DEFAULTS.decimals()).isEqualTo(2);
    }

    @Test
    void bothWritersAreServices() {
        Map<String, ReportWriter<?>> byId = new LinkedHashMap<>();
        for (ReportWriter<?> writer : ServiceLoader.load(ReportWriter.class)) {
            byId.put(writer.id(), writer);
        }
        assertThat(byId).containsOnlyKeys("markdown", "csv", "html");
        assertThat(byId.get("markdown")).isInstanceOf(MarkdownReportWriter.class);
        assertThat(byId.get("csv")).isInstanceOf(CsvReportWriter.class);
        assertThat(byId.values()).allSatisfy(w -> {
            assertThat(w.spiVersion()).isEqualTo(Spi.VERSION);
            assertThat(w.description()).isNotBlank();
        });
        assertThat(byId.get("markdown").optionsType()).isEqualTo(MarkdownOptions.class);
    }

    @Test
    void markdownSpecialCharactersAreEscaped() {
        assertThat(MarkdownReport.escape("a|b *c*\nd")).isEqualTo("a\\|b \\*c\\* d");
        assertThat(MarkdownReport.code("x`y|z")).isEqualTo("``x`y\\|z``");
        assertThat(MarkdownReport.sparsityHeader(0.995)).isEqualTo("99.5%");
        assertThat(MarkdownReport.sparsityHeader(0.9)).isEqualTo("90%");
    }

    /**
     * The cell the report should show, computed here from the fractions with the textbook formulas; the 95%
     * interval uses the closed form of the t quantile for 2 degrees of freedom, (2p - 1) / √(2p(1 - p)), the only
     * n ≥ 2 these tests have.
     */
    private static String expectedCell(double[] fractions, int failed, int decimals, boolean ci) {
        double[] p = Arrays.stream(fractions).map(v -> 100 * v).toArray();
        int n = p.length;
        double mean = Arrays.stream(p).sum() / n;
        String f = "%." + decimals + "f";
        String std = "–";
        String interval = "";
        if (n > 1) {
            double squares = Arrays.stream(p).map(v -> (v - mean) * (v - mean)).sum();
            double sd = Math.sqrt(squares / (n - 1));
            std = String.format(Locale.ROOT, f, sd);
            if (ci) {
                assertThat(n).as("closed-form t quantile for df = 2").isEqualTo(3);
                double t = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
                double half = t * sd / Math.sqrt(n);
                interval = " [" + String.format(Locale.ROOT, f, mean - half) + ", "
                        + String.format(Locale.ROOT, f, mean + half) + "]";
            }
        }
        return String.format(Locale.ROOT, f, mean) + " ± " + std + interval + " (n=" + n
                + (failed > 0 ? ", " + failed + " failed" : "") + ")";
    }

    /** The rows of the first table after {@code heading}, as header → cell. */
    private static List<Map<String, String>> table(String markdown, String heading) {
        List<String> lines = markdown.lines().toList();
        int i = lines.indexOf(heading);
        assertThat(i).as("heading " + heading).isNotNegative();
        while (!lines.get(i).startsWith("|")) {
            i++;
        }
        List<String> headers = cells(lines.get(i));
        assertThat(lines.get(i + 1)).matches("\\|( -+:? \\|)+");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = i + 2; r < lines.size() && lines.get(r).startsWith("|"); r++) {
            List<String> cells = cells(lines.get(r));
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < headers.size(); c++) {
                row.put(headers.get(c), cells.get(c));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.length() - 1);
        return Arrays.stream(inner.split("(?<!\\\\)\\|")).map(String::strip).toList();
    }
}
