/**
 * What every report shows, computed once from records: the {@link dev.bonsai.reports.model.Dimension dimensions}
 * that tell configurations apart, the {@link dev.bonsai.reports.model.Grouping rows} of the tables, and the
 * {@link dev.bonsai.reports.model.Comparisons paired comparisons} between strategies on the same seeds.
 */
package dev.bonsai.reports.model;
