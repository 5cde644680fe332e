/**
 * Descriptive statistics over seeds: {@link dev.bonsai.reports.stats.Statistics} computes the mean and the sample
 * standard deviation, {@link dev.bonsai.reports.stats.Summary} holds them with the sample size.
 */
package dev.bonsai.reports.stats;
