package dev.bonsai.reports.html;

import static dev.bonsai.reports.model.MetricNames.FINAL_ACCURACY;
import static dev.bonsai.reports.model.MetricNames.FINAL_BITS_PER_CHARACTER;
import static dev.bonsai.reports.model.MetricNames.FINAL_LOSS;
import static dev.bonsai.reports.model.MetricNames.FINAL_PERPLEXITY;
import static dev.bonsai.reports.model.MetricNames.PRUNED_ACCURACY;
import static dev.bonsai.reports.model.ReportNumbers.NONE;
import static dev.bonsai.reports.model.ReportNumbers.count;
import static dev.bonsai.reports.model.ReportNumbers.percent;

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
import dev.bonsai.reports.stats.ConfidenceInterval;
import dev.bonsai.reports.stats.PairedComparison;
import dev.bonsai.reports.stats.Statistics;
import dev.bonsai.reports.stats.Summary;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Renders one {@code report.html} from the {@link ReportModel}, with the plots of {@link HtmlPlots}; see
 * {@link HtmlReportWriter} for what it holds.
 */
final class HtmlReport {
    /** Plain text escaped, names in {@code <code>}, notes in {@code <em>}, groups on lines of their own. */
    private static final SpanFormat SPANS = new SpanFormat(HtmlReport::h, HtmlReport::code,
            text -> "<em>" + h(text) + "</em>", "<br>");

    private final ReportModel model;
    /** The finite target sparsities, the columns of the tables as of the plots. */
    private final List<Double> sparsities;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    HtmlReport(List<TrialRecord> records) {
        this.model = ReportModel.of(records);
        this.sparsities = model.sparsities().stream().filter(Double::isFinite).toList();
    }

    String render() {
        String title = model.title();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"color-scheme\" content=\"light dark\">\n")
                .append("<meta name=\"generator\" content=\"Bonsai\">\n")
                .append("<title>").append(h(title)).append(" · Bonsai report</title>\n<style>\n")
                .append(Style.CSS).append("</style>\n</head>\n<body>\n<main>\n");
        out.append("<h1>").append(h(title)).append("</h1>\n");
        if (model.isEmpty()) {
            out.append("<p class=\"lede\">No trial records.</p>\n</main>\n</body>\n</html>\n");
            return out.toString();
        }
        out.append("<p class=\"lede\">").append(h(model.origin())).append(". Accuracies and sparsities are"
                + " percentages; a value is the mean over the successful trials (seeds), shown with the sample standard"
                + " deviation, the t-based 95% confidence interval of the mean (from n = 2 on) and n, the number of"
                + " seeds.</p>\n");
        out.append("<nav><a href=\"#provenance\">Provenance</a> <a href=\"#plots\">Plots</a>"
                + " <a href=\"#tables\">Tables</a> <a href=\"#comparisons\">Paired comparisons</a></nav>\n");
        section("provenance", "Provenance", this::provenance);
        if (!model.failed().isEmpty()) {
            section("failed", "Failed trials", this::failures);
        }
        section("plots", "Plots", () -> out.append(new HtmlPlots(model).render()));
        section("tables", "Tables", this::tables);
        Comparisons comparisons = model.comparisons(Dimension.STRATEGY, FINAL_ACCURACY, 100);
        if (!comparisons.rows().isEmpty()) {
            section("comparisons", "Paired comparisons of strategies", () -> comparisons(comparisons));
        }
        out.append("</main>\n</body>\n</html>\n");
        return out.toString();
    }

    /** {@code <section>} with its id and heading around what {@code body} writes. */
    private void section(String id, String title, Runnable body) {
        out.append("<section id=\"").append(id).append("\">\n<h2>").append(h(title)).append("</h2>\n");
        body.run();
        out.append("</section>\n");
    }

    private void provenance() {
        out.append("<dl>\n");
        model.provenance().forEach(e -> out.append("<dt>").append(h(e.label())).append("</dt><dd>")
                .append(SPANS.write(e.value())).append("</dd>\n"));
        out.append("</dl>\n");
    }

    private void failures() {
        out.append("<p>Left out of every mean and plot.</p>\n<ul>\n");
        model.failed().forEach(r -> out.append("<li>").append(SPANS.write(ReportModel.failure(r))).append("</li>\n"));
        out.append("</ul>\n");
    }

    private void tables() {
        baselineTable();
        metricTable(FINAL_ACCURACY, "Test accuracy after fine-tuning (%)", 100);
        metricTable(PRUNED_ACCURACY, "Test accuracy after pruning, before fine-tuning (%)", 100);
        if (model.recorded(FINAL_PERPLEXITY)) {
            metricTable(FINAL_LOSS, "Language model: final test loss (nats per token)", 1);
            metricTable(FINAL_PERPLEXITY, "Language model: final test perplexity", 1);
            metricTable(FINAL_BITS_PER_CHARACTER, "Language model: final test bits per character", 1);
        }
        sparsityTable();
    }

    private void baselineTable() {
        Optional<DenseBaseline> baseline = model.denseBaseline();
        if (baseline.isEmpty()) {
            return;
        }
        out.append("<h3>Dense baseline</h3>\n<p>Test accuracy of the trained dense model in %, one value per seed.</p>\n");
        out.append("<div class=\"scroll\"><table>\n<thead><tr>");
        baseline.get().dimensions().forEach(d -> out.append("<th>").append(h(d.header())).append("</th>"));
        out.append("<th class=\"num\">dense test accuracy (%)</th></tr></thead>\n<tbody>\n");
        for (DenseBaseline.Row row : baseline.get().rows()) {
            out.append("<tr>");
            row.key().forEach(v -> out.append("<td>").append(v.isEmpty() ? NONE : h(v)).append("</td>"));
            out.append("<td class=\"num\">").append(statCell(row.accuracy(), 0)).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    /** A table of {@code metric} times {@code scale} (100 for percentages). */
    private void metricTable(String metric, String title, double scale) {
        if (!model.recorded(metric)) {
            return;
        }
        out.append("<h3>").append(h(title)).append("</h3>\n");
        appendTable(model.metricTable(metric, scale, sparsities), (MetricCell c) -> c.summary().n() == 0
                ? (c.failed() > 0 ? "failed (" + c.failed() + ")" : NONE)
                : statCell(c.summary(), c.failed()));
    }

    private void sparsityTable() {
        out.append("<h3>Achieved sparsity and non-zero parameters</h3>\n<p>Achieved sparsity of the prunable"
                + " weights in % (mean ± std), then the mean number of non-zero / total trainable parameters.</p>\n");
        appendTable(model.achievedSparsityTable(sparsities), (AchievedSparsityCell c) -> {
            Summary a = c.achieved();
            return a.n() == 0 ? NONE : fixed(a.mean()) + " ± " + (a.hasStd() ? fixed(a.std()) : NONE)
                    + "<br><small>" + count(c.meanNonzero()) + " / " + count(c.meanTotal()) + " · n=" + a.n()
                    + "</small>";
        });
    }

    /** A table with a row header per configuration and a column per sparsity, each cell written by {@code text}. */
    private <C> void appendTable(ConfigurationTable<C> table, Function<C, String> text) {
        out.append("<div class=\"scroll\"><table>\n<thead><tr>");
        table.dimensions().forEach(d -> out.append("<th>").append(h(d.header())).append("</th>"));
        table.sparsities().forEach(s -> out.append("<th class=\"num\">").append(percent(s)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (ConfigurationTable.Row<C> row : table.rows()) {
            out.append("<tr>");
            row.key().forEach(v -> out.append("<th scope=\"row\">").append(v.isEmpty() ? NONE : h(v)).append("</th>"));
            row.cells().forEach(c -> out.append("<td class=\"num\">").append(text.apply(c)).append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    private void comparisons(Comparisons comparisons) {
        out.append("<p>Final test accuracy"
                + " of each pair of strategies at the same target sparsity, on the seeds both have (n pairs). Δ is"
                + " the mean of A − B in percentage points with its t-based 95% confidence interval. p-values are"
                + " two-sided: Student's paired t-test and the Wilcoxon signed-rank test (exact up to "
                + Statistics.WILCOXON_EXACT_MAX + " non-zero differences; ≈ marks the normal approximation); they"
                + " are not adjusted for multiple comparisons. With n &lt; 2 there is no t-test; with n &lt; 6 the"
                + " Wilcoxon test cannot reach p &lt; 0.05. Bold: p &lt; 0.05 in both tests.</p>\n");
        out.append("<div class=\"scroll\"><table>\n<thead><tr>");
        comparisons.context().forEach(d -> out.append("<th>").append(h(d.header())).append("</th>"));
        for (String head : List.of("sparsity", "A", "B", "n", "Δ A − B (pp)", "95% CI of Δ", "paired t p",
                "Wilcoxon p")) {
            boolean num = !head.equals("A") && !head.equals("B");
            out.append(num ? "<th class=\"num\">" : "<th>").append(h(head)).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (Comparisons.Row row : comparisons.rows()) {
            PairedComparison c = row.result();
            boolean significant = c.tTest().defined() && c.tTest().pValue() < 0.05 && c.wilcoxon().defined()
                    && c.wilcoxon().pValue() < 0.05;
            out.append(significant ? "<tr class=\"significant\">" : "<tr>");
            row.context().forEach(v -> out.append("<td>").append(v.isEmpty() ? NONE : h(v)).append("</td>"));
            out.append("<td class=\"num\">").append(percent(row.sparsity())).append("</td><td>").append(h(row.a()))
                    .append("</td><td>").append(h(row.b())).append("</td><td class=\"num\">").append(c.n())
                    .append("</td><td class=\"num\">").append(ReportNumbers.signed(c.meanDifference(), 2))
                    .append("</td><td class=\"num\">").append(ReportNumbers.interval(c.difference().ci95(), 2))
                    .append("</td><td class=\"num\">").append(h(ReportNumbers.pValue(c.tTest())))
                    .append("</td><td class=\"num\">").append(h(ReportNumbers.pValue(c.wilcoxon())))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    /** {@code mean ± std}, then a small line with the interval and n. */
    private static String statCell(Summary s, int failures) {
        ConfidenceInterval ci = s.ci95();
        return fixed(s.mean()) + " ± " + (s.hasStd() ? fixed(s.std()) : NONE) + "<br><small>"
                + (ci.defined() ? ReportNumbers.interval(ci, 2) + " · " : "") + "n=" + s.n()
                + (failures > 0 ? ", " + failures + " failed" : "") + "</small>";
    }

    /** {@code value} with the two decimals of the page. */
    private static String fixed(double value) {
        return ReportNumbers.fixed(value, 2);
    }

    private static String code(String text) {
        return "<code>" + h(text) + "</code>";
    }

    /** Text escaped for HTML. */
    static String h(String text) {
        return Svg.escape(text);
    }
}
