package dev.bonsai.reports.markdown;

import static dev.bonsai.reports.model.MetricNames.DENSE_ACCURACY;
import static dev.bonsai.reports.model.MetricNames.FINAL_ACCURACY;
import static dev.bonsai.reports.model.MetricNames.FINAL_BITS_PER_CHARACTER;
import static dev.bonsai.reports.model.MetricNames.FINAL_ERRORS;
import static dev.bonsai.reports.model.MetricNames.FINAL_LOSS;
import static dev.bonsai.reports.model.MetricNames.FINAL_PERPLEXITY;
import static dev.bonsai.reports.model.MetricNames.FINAL_VALIDATION_LOSS;
import static dev.bonsai.reports.model.MetricNames.PRUNED_ACCURACY;
import static dev.bonsai.reports.model.ReportNumbers.NONE;
import static dev.bonsai.reports.model.ReportNumbers.count;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.model.AchievedSparsityCell;
import dev.bonsai.reports.model.Comparisons;
import dev.bonsai.reports.model.ConfigurationTable;
import dev.bonsai.reports.model.DenseBaseline;
import dev.bonsai.reports.model.Dimension;
import dev.bonsai.reports.model.MetricCell;
import dev.bonsai.reports.model.Provenance;
import dev.bonsai.reports.model.SpanFormat;
import dev.bonsai.reports.model.ReportModel;
import dev.bonsai.reports.model.ReportNumbers;
import dev.bonsai.reports.model.Teacher;
import dev.bonsai.reports.stats.PairedComparison;
import dev.bonsai.reports.stats.Statistics;
import dev.bonsai.reports.stats.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Renders one {@code report.md} from the {@link ReportModel}; see {@link MarkdownReportWriter} for what it holds. */
final class MarkdownReport {
    /** Decimals of the language-model tables, at least: losses of compared models often differ in the third. */
    static final int LM_DECIMALS = 4;

    /** Plain text escaped, names in code spans, notes in italics, groups separated by a middle dot. */
    private static final SpanFormat SPANS = new SpanFormat(MarkdownReport::escapeInline, MarkdownReport::code,
            text -> "*" + escapeInline(text) + "*", " · ");

    private final ReportModel model;
    private final int decimals;
    private final StringBuilder out = new StringBuilder(4096);

    MarkdownReport(List<TrialRecord> records, MarkdownOptions options) {
        this.model = ReportModel.of(records);
        this.decimals = options.decimals();
    }

    String render() {
        title();
        if (!model.isEmpty()) {
            section("Provenance", this::provenance);
        }
        if (!model.failed().isEmpty()) {
            section("Failed trials", this::failures);
        }
        baseline();
        List<Double> sparsities = model.sparsities();
        teachers();
        int lmDecimals = Math.max(decimals, LM_DECIMALS);
        metricTable("Test accuracy after fine-tuning (%)",
                "The final `" + FINAL_ACCURACY + "` in %, after fine-tuning", FINAL_ACCURACY, sparsities, 100,
                decimals);
        if (model.recorded(FINAL_ERRORS)) {
            metricTable("Test errors after fine-tuning",
                    "The final `" + FINAL_ERRORS + "`: misclassified test samples, after fine-tuning", FINAL_ERRORS,
                    sparsities, 1, decimals);
        }
        if (model.recorded(FINAL_VALIDATION_LOSS)) {
            metricTable("Validation loss after fine-tuning", "The final `" + FINAL_VALIDATION_LOSS
                    + "`: the mean cross-entropy (nats) on the validation split held out of training",
                    FINAL_VALIDATION_LOSS, sparsities, 1, lmDecimals);
        }
        metricTable("Test accuracy after pruning, before fine-tuning (%)",
                "`" + PRUNED_ACCURACY + "` in %, measured right after the last pruning step", PRUNED_ACCURACY,
                sparsities, 100, decimals);
        if (model.recorded(FINAL_PERPLEXITY)) {
            metricTable("Language model: test loss (nats per token)", "The final `" + FINAL_LOSS
                    + "`, the mean cross-entropy per predicted token in nats", FINAL_LOSS, sparsities, 1, lmDecimals);
            metricTable("Language model: test perplexity", "The final `" + FINAL_PERPLEXITY + "`, e^loss",
                    FINAL_PERPLEXITY, sparsities, 1, lmDecimals);
            metricTable("Language model: test bits per character", "The final `" + FINAL_BITS_PER_CHARACTER
                    + "`: loss / ln 2 per character the predicted tokens stand for (a word counts with its space)",
                    FINAL_BITS_PER_CHARACTER, sparsities, 1, lmDecimals);
        }
        sparsityTable(sparsities);
        pairedComparisons(Dimension.STRATEGY, FINAL_ACCURACY, 100, "test accuracy after fine-tuning", "pp");
        if (model.comparesRecipes()) {
            boolean errors = model.recorded(FINAL_ERRORS);
            pairedComparisons(Dimension.RECIPE, errors ? FINAL_ERRORS : FINAL_ACCURACY, errors ? 1 : 100,
                    errors ? "test errors" : "test accuracy after fine-tuning", errors ? "errors" : "pp");
        }
        return out.toString();
    }

    private void title() {
        out.append("# ").append(escape(model.title())).append("\n\n");
        if (model.isEmpty()) {
            out.append("No trial records.\n");
            return;
        }
        out.append(model.origin()).append(". Accuracies and sparsities are percentages. An accuracy cell reads"
                + " `mean ± std [low, high] (n=…)`: the mean and sample standard deviation over the successful"
                + " trials (seeds), the t-based 95% confidence interval of the mean (shown from n = 2 on), and n, the"
                + " number of seeds.\n\n");
    }

    /** A level-2 heading, then what {@code body} writes. */
    private void section(String heading, Runnable body) {
        out.append("## ").append(heading).append("\n\n");
        body.run();
    }

    private void provenance() {
        for (Provenance.Entry e : model.provenance()) {
            out.append("- **").append(e.label()).append(":** ").append(SPANS.write(e.value())).append('\n');
        }
        out.append('\n');
    }

    private void failures() {
        out.append("Left out of every mean below.\n\n");
        for (TrialRecord r : model.failed()) {
            out.append("- ").append(SPANS.write(ReportModel.failure(r))).append('\n');
        }
        out.append('\n');
    }

    private void baseline() {
        if (model.isEmpty()) {
            return;
        }
        out.append("## Dense baseline\n\n");
        Optional<DenseBaseline> baseline = model.denseBaseline();
        if (baseline.isEmpty()) {
            out.append("No successful trial recorded `").append(DENSE_ACCURACY).append("`.\n\n");
            return;
        }
        out.append("`").append(DENSE_ACCURACY).append("` in %: the test accuracy of the trained dense model,"
                + " one value per seed (the mean of that seed's trials), then mean ± sample standard deviation over"
                + " seeds; the mean seconds of dense training per seed and the dense model's test-set inference"
                + " throughput, per engine and device.\n\n");
        MarkdownTable table = labelled(baseline.get().dimensions(),
                List.of("dense test accuracy (%)", "dense training (s)", "inference (samples/s)"),
                List.of(true, true, true));
        for (DenseBaseline.Row row : baseline.get().rows()) {
            List<String> cells = labels(row.key());
            cells.add(stat(row.accuracy(), 0, true, decimals));
            cells.add(mean(row.trainSeconds(), "%.1f"));
            cells.add(mean(row.inference(), "%.0f"));
            table.add(cells);
        }
        table.appendTo(out);
        out.append('\n');
    }

    /**
     * The distillation teachers: one row per teacher (by provenance hash) with where it came from and its own test
     * metrics, so that a student's figures can be read against its teacher's.
     */
    private void teachers() {
        List<Teacher> teachers = model.teachers();
        if (teachers.isEmpty()) {
            return;
        }
        out.append("## Teachers\n\n");
        out.append("The teachers the recipes distil from, each trained once (or loaded from a checkpoint) and shared by"
                + " the students listed: its model, seed, test accuracy in %, test errors (classifiers) and size.\n\n");
        MarkdownTable table = new MarkdownTable(
                List.of("teacher", "model", "seed", "recipes", "test accuracy (%)", "test errors", "parameters"),
                List.of(false, false, true, false, true, true, true));
        for (Teacher t : teachers) {
            table.add(new ArrayList<>(List.of(code(t.hash()), escape(t.source()),
                    Objects.requireNonNullElse(t.seed(), NONE), escape(String.join(", ", t.recipes())),
                    fixed(100 * t.testAccuracy()),
                    Double.isNaN(t.testErrors()) ? NONE : String.format(Locale.ROOT, "%.0f", t.testErrors()),
                    count(t.parameters()))));
        }
        table.appendTo(out);
        out.append('\n');
    }

    /** The mean of {@code summary} in {@code format}, or a dash when it has no values. */
    private static String mean(Summary summary, String format) {
        return summary.n() == 0 ? NONE : String.format(Locale.ROOT, format, summary.mean());
    }

    /** A table of {@code metric} times {@code scale} (100 for percentages) by row and target sparsity. */
    private void metricTable(String heading, String what, String metric, List<Double> sparsities, double scale,
            int places) {
        if (model.isEmpty()) {
            return;
        }
        out.append("## ").append(heading).append("\n\n");
        if (!model.recorded(metric)) {
            out.append("No successful trial recorded `").append(metric).append("`.\n\n");
            return;
        }
        out.append(what).append("; one column per target sparsity.\n\n");
        ConfigurationTable<MetricCell> cells = model.metricTable(metric, scale, sparsities);
        appendTable(cells, c -> c.summary().n() == 0 ? empty(c.failed())
                : stat(c.summary(), c.failed(), true, places));
    }

    private void sparsityTable(List<Double> sparsities) {
        if (model.isEmpty()) {
            return;
        }
        out.append("## Achieved sparsity and non-zero parameters\n\n");
        out.append("`achieved_sparsity` of the prunable weights in %, then the mean number of non-zero trainable"
                + " parameters / the mean total number; one column per target sparsity.\n\n");
        appendTable(model.achievedSparsityTable(sparsities), (AchievedSparsityCell c) -> c.achieved().n() == 0
                ? empty(c.failed())
                : stat(c.achieved(), c.failed(), false, decimals) + " · " + count(c.meanNonzero()) + " / "
                        + count(c.meanTotal()));
    }

    /** {@code failed (k)}, or – when no trial was there. */
    private static String empty(int failures) {
        return failures > 0 ? "failed (" + failures + ")" : NONE;
    }

    private <C> void appendTable(ConfigurationTable<C> cells, Function<C, String> text) {
        List<String> headers = cells.sparsities().stream().map(MarkdownReport::sparsityHeader).toList();
        MarkdownTable table = labelled(cells.dimensions(), headers, headers.stream().map(h -> true).toList());
        for (ConfigurationTable.Row<C> row : cells.rows()) {
            List<String> line = labels(row.key());
            row.cells().forEach(c -> line.add(text.apply(c)));
            table.add(line);
        }
        table.appendTo(out);
        out.append('\n');
        if (cells.repeatsSeeds()) {
            out.append("Some cells hold more than one trial with the same seed: configurations the records do not tell"
                    + " apart (for example one strategy with different options). n counts trials.\n\n");
        }
    }

    /** A table whose first columns, left-aligned, are {@code dims}, then {@code headers} aligned as {@code right}. */
    private static MarkdownTable labelled(List<Dimension> dims, List<String> headers, List<Boolean> right) {
        List<String> all = new ArrayList<>();
        List<Boolean> alignments = new ArrayList<>();
        for (Dimension d : dims) {
            all.add(d.header());
            alignments.add(false);
        }
        all.addAll(headers);
        alignments.addAll(right);
        return new MarkdownTable(all, alignments);
    }

    private static List<String> labels(List<String> key) {
        List<String> cells = new ArrayList<>();
        for (String v : key) {
            cells.add(v.isEmpty() ? NONE : escape(v));
        }
        return cells;
    }

    /**
     * {@code 97.92 ± 0.05 [97.80, 98.04] (n=3)} with {@code places} decimals (the interval only with {@code ci}
     * and n ≥ 2), with the failures.
     */
    private static String stat(Summary summary, int failures, boolean ci, int places) {
        String std = summary.hasStd() ? ReportNumbers.fixed(summary.std(), places) : NONE;
        String interval = ci && summary.ci95().defined() ? " " + ReportNumbers.interval(summary.ci95(), places) : "";
        return ReportNumbers.fixed(summary.mean(), places) + " ± " + std + interval + " (n=" + summary.n()
                + (failures > 0 ? ", " + failures + " failed" : "") + ")";
    }

    /** Paired comparisons between the values of {@code compared} (strategies or recipes) on {@code metric}. */
    private void pairedComparisons(Dimension compared, String metric, double scale, String what, String unit) {
        if (model.isEmpty()) {
            return;
        }
        Comparisons comparisons = model.comparisons(compared, metric, scale);
        if (comparisons.rows().isEmpty()) {
            return;
        }
        String plural = compared == Dimension.STRATEGY ? "strategies" : "recipes";
        out.append("## Paired comparisons of ").append(plural).append(" (").append(what).append(")\n\n");
        out.append("Each pair of ").append(plural).append(" at the same target sparsity, on the seeds both have (n"
                + " pairs): Δ is the mean of A − B in ").append(unit.equals("pp") ? "percentage points" : unit)
                .append(" with its t-based 95% confidence interval; p-values are"
                + " two-sided, of Student's paired t-test and of the Wilcoxon signed-rank test (exact up to "
                + Statistics.WILCOXON_EXACT_MAX + " non-zero differences, marked ≈ where the normal approximation"
                + " is used), not adjusted for multiple comparisons. With n < 2 there is no t-test; with n < 6 the"
                + " Wilcoxon test cannot reach p < 0.05.\n\n");
        MarkdownTable table = labelled(comparisons.context(), List.of("sparsity", "A", "B", "n",
                "Δ A − B (" + unit + ")", "95% CI of Δ", "paired t p", "Wilcoxon p"),
                List.of(true, false, false, true, true, true, true, true));
        for (Comparisons.Row row : comparisons.rows()) {
            List<String> cells = labels(row.context());
            PairedComparison c = row.result();
            cells.add(sparsityHeader(row.sparsity()));
            cells.add(escape(row.a()));
            cells.add(escape(row.b()));
            cells.add(Integer.toString(c.n()));
            cells.add(ReportNumbers.signed(c.meanDifference(), decimals));
            cells.add(ReportNumbers.interval(c.difference().ci95(), decimals));
            cells.add(ReportNumbers.pValue(c.tTest()));
            cells.add(ReportNumbers.pValue(c.wilcoxon()));
            table.add(cells);
        }
        table.appendTo(out);
        out.append('\n');
    }

    private String fixed(double value) {
        return ReportNumbers.fixed(value, decimals);
    }

    /** A target sparsity as a column header: {@code 0.95} → {@code 95%}, {@code 0.995} → {@code 99.5%}. */
    static String sparsityHeader(double sparsity) {
        return ReportNumbers.percent(sparsity);
    }

    /** Text made safe for a Markdown line or table cell: one line, Markdown's special characters escaped. */
    static String escape(String text) {
        return escapeInline(oneLine(text));
    }

    /** As {@link #escape}, keeping leading and trailing spaces: a piece of a line. */
    private static String escapeInline(String text) {
        String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        StringBuilder b = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ("\\`*_[]<>|#".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** A code span holding {@code text} verbatim (pipes escaped, which tables need). */
    static String code(String text) {
        String line = oneLine(text).replace("|", "\\|");
        int longestRun = 0;
        int run = 0;
        for (int i = 0; i < line.length(); i++) {
            run = line.charAt(i) == '`' ? run + 1 : 0;
            longestRun = Math.max(longestRun, run);
        }
        String fence = "`".repeat(longestRun + 1);
        String pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
        return fence + pad + line + pad + fence;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
