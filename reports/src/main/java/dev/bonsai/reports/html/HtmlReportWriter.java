package dev.bonsai.reports.html;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.io.SingleFileReportWriter;
import java.util.List;

/**
 * Writes {@code report.html}: one self-contained file (no scripts, no external fonts, images or style sheets) that
 * reads well in a browser, in light or dark mode, and in print. It holds
 * <ul>
 *   <li>the provenance (trials, engines and devices, the machines as recorded, seeds, dataset SHA-256, versions)
 *       and the failed trials with their errors;</li>
 *   <li>inline SVG plots: test accuracy after fine-tuning and after pruning vs target sparsity, one line per
 *       strategy (and per other configuration field with several values, such as the engine) with its 95%
 *       confidence band and the dense baseline, on a logarithmic axis of the compression 1 / (1 − sparsity) when
 *       the sparsities span at least a factor 4 of it; test accuracy vs non-zero parameters with the Pareto front;
 *       and the mean time per phase per engine/device (and machine and strategy) as stacked bars;</li>
 *   <li>the tables of {@code report.md}: dense baseline, accuracy, the language-model metrics (loss in nats per
 *       token, perplexity, bits per character) where the records have them, and achieved sparsity by configuration and
 *       sparsity (mean ± std, 95% confidence interval, n), and the paired comparisons of strategies on the same
 *       seeds (paired t-test and Wilcoxon signed-rank p-values).</li>
 * </ul>
 * Records with the same trial id count once ({@link dev.bonsai.reports.store.ResultsStore#latestPerTrial}); failed
 * trials are left out of every statistic.
 */
public final class HtmlReportWriter extends SingleFileReportWriter<NoOptions> {
    /** The plugin id. */
    public static final String ID = "html";
    /** The file written into the output folder. */
    public static final String FILE_NAME = "report.html";

    /** Creates the writer; it has no state. */
    public HtmlReportWriter() {
        super(ID, FILE_NAME, NoOptions.class, "report.html: one self-contained page with SVG plots (accuracy vs"
                + " sparsity with 95% CI bands, Pareto front, time per phase) and the tables");
    }

    @Override
    protected String text(List<TrialRecord> records, NoOptions options) {
        return render(records);
    }

    /** The HTML text for {@code records}, as {@link #write} writes it. */
    public static String render(List<TrialRecord> records) {
        return new HtmlReport(records).render();
    }
}
