/**
 * Statistics over seeds: {@link dev.bonsai.reports.stats.Statistics} computes means, sample standard deviations,
 * t-based confidence intervals and paired tests (paired t-test, Wilcoxon signed-rank) with Apache Commons Math;
 * {@link dev.bonsai.reports.stats.Summary} holds a sample's size, mean and deviation,
 * {@link dev.bonsai.reports.stats.PairedComparison} two configurations compared on the same seeds.
 */
package dev.bonsai.reports.stats;
