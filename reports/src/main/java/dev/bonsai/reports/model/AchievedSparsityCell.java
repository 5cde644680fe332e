package dev.bonsai.reports.model;

import dev.bonsai.reports.stats.Summary;

/**
 * A cell of the achieved-sparsity table: one configuration at one target sparsity.
 *
 * @param achieved         the achieved sparsity in % over the cell's successful trials; {@code n = 0} when none
 *                         succeeded
 * @param failed           how many of the cell's trials failed
 * @param meanNonzero      the mean number of non-zero trainable parameters of the successful trials; NaN when none
 * @param meanTotal        the mean total number of trainable parameters of the successful trials; NaN when none
 */
public record AchievedSparsityCell(Summary achieved, int failed, double meanNonzero, double meanTotal) {
}
