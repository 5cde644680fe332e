package dev.bonsai.reports.markdown;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the {@code markdown} report.
 *
 * @param decimals decimal places of the percentages in the tables
 */
@Doc("Options of the Markdown report (report.md).")
public record MarkdownOptions(
        @Doc("Decimal places of the percentages in the tables (accuracy, sparsity).")
        @DefaultValue("2")
        @Range(min = 0, max = 6)
        int decimals) {

    /** The smallest allowed {@link #decimals()}. */
    public static final int MIN_DECIMALS = 0;
    /** The largest allowed {@link #decimals()}. */
    public static final int MAX_DECIMALS = 6;

    /** The options when the descriptor gives none. */
    public static final MarkdownOptions DEFAULTS = new MarkdownOptions(2);

    /** Checks the range. */
    public MarkdownOptions {
        if (decimals < MIN_DECIMALS || decimals > MAX_DECIMALS) {
            throw new IllegalArgumentException("decimals must be in [" + MIN_DECIMALS + ", " + MAX_DECIMALS
                    + "], got " + decimals);
        }
    }
}
