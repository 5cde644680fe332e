package dev.bonsai.reports.markdown;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.io.SingleFileReportWriter;
import java.util.List;

/**
 * Writes {@code report.md}: the experiment's name(s); a provenance summary (trials, engines and devices, the
 * machines as recorded, seeds, dataset SHA-256, Bonsai version, git revision) with the failed trials and their
 * errors; the dense baseline; and tables with one row per strategy (and per scope, structure, schedule, model,
 * dataset, engine or device where the records hold more than one) and one column per target sparsity, ascending:
 * <ul>
 *   <li>final test accuracy ({@code test_accuracy}),</li>
 *   <li>test errors ({@code test_errors}) and the validation loss ({@code validation_loss}, when the dataset
 *       holds a validation split out of training) after fine-tuning, where the records carry them,</li>
 *   <li>test accuracy after pruning, before fine-tuning ({@code pruned_test_accuracy}),</li>
 *   <li>for language models (records with {@code test_perplexity}): the final test loss in nats per token
 *       ({@code test_loss}), perplexity ({@code test_perplexity}) and bits per character
 *       ({@code test_bits_per_character}), as plain values;</li>
 *   <li>achieved sparsity and non-zero parameters;</li>
 *   <li>paired comparisons of the strategies at each sparsity (and configuration), on the seeds both have: the mean
 *       difference of the final test accuracy with its 95% confidence interval, and the two-sided p-values of the
 *       paired t-test and the Wilcoxon signed-rank test ({@link dev.bonsai.reports.model.Comparisons}).</li>
 * </ul>
 * An accuracy cell reads {@code 97.92 ± 0.05 [97.80, 98.04] (n=3)}: the mean and sample standard deviation over
 * the successful trials (seeds) of that row and sparsity, in percent (accuracies are recorded as fractions), the
 * t-based 95% confidence interval of the mean (from n = 2 on), and the number of seeds; the deviation is
 * {@code –} when n = 1. Sparsity cells leave out the interval. Failed trials are listed with their errors and left out of every mean; a
 * cell counts them as {@code (n=2, 1 failed)}, or reads {@code failed (k)} when none succeeded. Records with the
 * same trial id count once ({@link dev.bonsai.reports.store.ResultsStore#latestPerTrial}). Rows keep the order in
 * which their strategy first appears in the records.
 */
public final class MarkdownReportWriter extends SingleFileReportWriter<MarkdownOptions> {
    /** The plugin id. */
    public static final String ID = "markdown";
    /** The file written into the output folder. */
    public static final String FILE_NAME = "report.md";

    /** Creates the writer; it has no state. */
    public MarkdownReportWriter() {
        super(ID, FILE_NAME, MarkdownOptions.class, "report.md: provenance, dense baseline, accuracy by strategy ×"
                + " sparsity (mean ± std, 95% CI over seeds) and paired comparisons of strategies");
    }

    @Override
    protected String text(List<TrialRecord> records, MarkdownOptions options) {
        return render(records, options);
    }

    /** The Markdown text for {@code records}, as {@link #write} writes it. */
    public static String render(List<TrialRecord> records, MarkdownOptions options) {
        return new MarkdownReport(records, options).render();
    }
}
