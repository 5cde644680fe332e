package dev.bonsai.reports.model;

import dev.bonsai.reports.stats.Summary;

/**
 * A cell of a metric's table: one configuration at one target sparsity.
 *
 * @param summary the metric (scaled) over the cell's successful trials that recorded it; {@code n = 0} when none did
 * @param failed  how many of the cell's trials failed
 */
public record MetricCell(Summary summary, int failed) {
}
