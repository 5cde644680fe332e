/**
 * What every report shows, computed once from records and free of any output format: the
 * {@link dev.bonsai.reports.model.ReportModel report model} with its provenance entries, failures, dense baseline,
 * teachers and tables; the {@link dev.bonsai.reports.model.Dimension dimensions} that tell configurations apart, the
 * {@link dev.bonsai.reports.model.Grouping rows} of the tables, and the
 * {@link dev.bonsai.reports.model.Comparisons paired comparisons} between strategies on the same seeds; the number
 * text ({@link dev.bonsai.reports.model.ReportNumbers}) and the {@link dev.bonsai.reports.model.Span spans} of
 * running text that the Markdown and HTML renderers mark up.
 */
package dev.bonsai.reports.model;
